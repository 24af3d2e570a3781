import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Builds dist/ unless it is up to date, so a spawned process runs the code under test. */
export function buildDist(): void {
  execFileSync(process.execPath, ['scripts/build.js', '--if-needed'], { cwd: root, stdio: 'pipe' });
}

/**
 * An Intake process as in production (`node dist/apps/<app>/src/main.js`), with everything
 * it writes kept, so tests can crash it, read its logs, or search them for secrets.
 */
export class AppProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(app: 'api' | 'worker', env: Record<string, string>) {
    this.child = spawn(process.execPath, [`dist/apps/${app}/src/main.js`], {
      cwd: root,
      // A minimal environment: no NODE_ENV, REDIS_URL or jest settings leak into the process.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => this.output.push(chunk.toString('utf8'));
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }
}
