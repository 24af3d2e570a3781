/**
 * A failure the operator can fix from its message alone (a bad variable, a busy data
 * directory): printed as one line, without a stack.
 */
export class StartupError extends Error {}

/** Ends a process whose bootstrap failed, with a message fit for the operator. */
export function exitOnStartupFailure(what: string) {
  return (error: unknown): never => {
    const detail =
      error instanceof StartupError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    process.stderr.write(`${what} failed to start: ${detail}\n`);
    process.exit(1);
  };
}

/** Settings that weaken security for development; each process logs these loudly at boot. */
export function developmentSettingWarnings(env: { ALLOW_PRIVATE_DESTINATIONS: boolean }): string[] {
  return env.ALLOW_PRIVATE_DESTINATIONS
    ? [
        'ALLOW_PRIVATE_DESTINATIONS is on: destinations may reach private and loopback addresses. Never use this in production.',
      ]
    : [];
}
