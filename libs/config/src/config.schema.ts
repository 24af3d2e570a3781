import { z } from 'zod';

/** The marker `.env.example` and `docker-compose.yml` put in every secret; refused in production. */
export const PLACEHOLDER_MARKER = 'CHANGE_ME';

/** True when a secret, or the base64 it may be, still carries the placeholder marker. */
export function isPlaceholder(value: string): boolean {
  const decoded = Buffer.from(value, 'base64').toString('latin1');
  return [value, decoded].some((text) => text.toUpperCase().includes(PLACEHOLDER_MARKER));
}

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const base64Key = z
  .string()
  .refine(
    (value) => Buffer.from(value, 'base64').length >= 32,
    'must be base64 of at least 32 bytes',
  );

/** `ENCRYPTION_KEYS`: `id:base64key[,id:base64key...]`; the first entry encrypts, all decrypt. */
const encryptionKeys = z.string().transform((value, ctx) => {
  const keys = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [id, key] = entry.split(':', 2);
      return { id: id ?? '', key: Buffer.from(key ?? '', 'base64') };
    });
  for (const { id, key } of keys) {
    if (!/^[a-zA-Z0-9_-]{1,16}$/.test(id) || key.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'each entry must be `id:<base64 of 32 bytes>`' });
      return z.NEVER;
    }
  }
  if (keys.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'must list at least one key' });
    return z.NEVER;
  }
  return keys;
});

const url = z.url();

export const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['production', 'development', 'test']).optional(),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).optional(),
    PUBLIC_URL: url.optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    /** Bounds each statement, the wait for a pooled connection, and each transaction. */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    DATA_DIR: z.string().min(1).default('./data'),
    /** Unset: the api consumes the processing queue only with the embedded database (no worker then). */
    JOBS_IN_API: booleanFromEnv.optional(),
    /** Unset: migrate on boot for the embedded database only; PostgreSQL runs `npm run db:migrate`. */
    MIGRATE_ON_BOOT: booleanFromEnv.optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
    REDIS_KEY_PREFIX: z.string().max(64).default('intake:'),
    SECRET_KEY: base64Key.optional(),
    ENCRYPTION_KEYS: encryptionKeys.optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().min(3).default('Intake <no-reply@localhost>'),
    OPENAI_API_KEY: z.string().min(1).optional(),
    OPENAI_BASE_URL: url.optional(),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    GOOGLE_CLIENT_ID: z.string().min(1).optional(),
    GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
    GITHUB_CLIENT_ID: z.string().min(1).optional(),
    GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
    /** Provider endpoints: the real ones by default; tests point them at local servers. */
    GOOGLE_AUTHORIZATION_URL: url.default('https://accounts.google.com/o/oauth2/v2/auth'),
    GOOGLE_TOKEN_URL: url.default('https://oauth2.googleapis.com/token'),
    GOOGLE_USERINFO_URL: url.default('https://openidconnect.googleapis.com/v1/userinfo'),
    GITHUB_URL: url.default('https://github.com'),
    GITHUB_API_URL: url.default('https://api.github.com'),
    /** A magic link for an unknown address creates the account (its e-mail then verified). */
    MAGIC_LINK_SIGNUP: booleanFromEnv.default(true),
    ALLOW_PRIVATE_DESTINATIONS: booleanFromEnv.default(false),
    TRUST_PROXY: z.string().min(1).optional(),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    SUBMISSION_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(65_536),
    /**
     * The api's HTTP server timeouts against slow or idle clients (slowloris): all headers
     * within the first, the whole request within the second, an idle keep-alive socket
     * closed after the third (a proxy's upstream keep-alive must be shorter).
     */
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).default(15_000),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(5_000),
    SESSION_IDLE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .default(24 * 7),
    SESSION_ABSOLUTE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .default(24 * 30),
    LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(5),
    LOGIN_FAILURE_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(15 * 60),
    /** Failed passwords per account per window, whatever the IP (spread-out guessing). */
    LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
    /** Failed 2FA codes per account per window (a 6-digit code must not be walkable). */
    TOTP_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
    /** How recent a sign-in, password or 2FA proof must be for sensitive actions. */
    REAUTH_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
    AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).default(365),
    API_KEY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    SESSION_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
    ANONYMOUS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    /** Requests per minute per owner to /mcp, across all of their AI clients. */
    MCP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
    /** Bearer token Prometheus sends to `/metrics`; unset, the endpoint is off (404). */
    METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    /** The worker's own metrics listener (it has no other HTTP server); unset, none. */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  })
  .superRefine((env, ctx) => {
    const pairs = [
      ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
      ['GITHUB_CLIENT_ID', 'GITHUB_CLIENT_SECRET'],
    ] as const;
    for (const [id, secret] of pairs) {
      if (Boolean(env[id]) !== Boolean(env[secret])) {
        ctx.addIssue({
          code: 'custom',
          path: [env[id] ? secret : id],
          message: `is required when ${env[id] ? id : secret} is set`,
        });
      }
    }
    if (env.METRICS_PORT !== undefined && !env.METRICS_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_TOKEN'],
        message: 'is required when METRICS_PORT is set',
      });
    }
    if (env.NODE_ENV !== 'production') return;
    if (!env.SECRET_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['SECRET_KEY'],
        message: 'is required when NODE_ENV=production',
      });
    }
    for (const name of [
      'SECRET_KEY',
      'GOOGLE_CLIENT_SECRET',
      'GITHUB_CLIENT_SECRET',
      'OPENAI_API_KEY',
      'METRICS_TOKEN',
    ] as const) {
      const value = env[name];
      if (value && isPlaceholder(value)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'is still a placeholder; set a real secret in production',
        });
      }
    }
    if (env.ALLOW_PRIVATE_DESTINATIONS) {
      ctx.addIssue({
        code: 'custom',
        path: ['ALLOW_PRIVATE_DESTINATIONS'],
        message: 'must not be enabled in production',
      });
    }
  });

export type Environment = z.infer<typeof environmentSchema>;
