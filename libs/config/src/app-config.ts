import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { environmentSchema, type Environment } from './config.schema';
import { StartupError } from './startup';

/** `DATA_DIR=memory://` keeps the embedded database in memory (tests, throwaway runs). */
export const IN_MEMORY = 'memory://';

export class ConfigError extends StartupError {
  override readonly name = 'ConfigError';
}

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize: number; statementTimeoutMs: number }
  | { kind: 'pglite'; dataDir: string };

/**
 * The validated, derived configuration. Built once at boot by `loadConfig`; nothing
 * else in Intake reads `process.env`.
 */
export class AppConfig {
  readonly isProduction: boolean;
  readonly publicUrl: string;
  readonly publicOrigin: string;
  readonly database: DatabaseTarget;
  /** Root secret; cookie sealing and derived keys come from it. */
  readonly secretKey: Buffer;
  /** First key encrypts; every listed key decrypts (rotation). */
  readonly encryptionKeys: readonly EncryptionKey[];
  /** Apply pending migrations when the api starts. */
  readonly migrateOnBoot: boolean;
  /** The api process also runs the processing jobs (the embedded default has no worker). */
  readonly jobsInApi: boolean;
  /** Local development over plain HTTP: cookies cannot be `Secure` nor `__Host-` there. */
  readonly secureCookies: boolean;

  constructor(
    readonly env: Environment,
    secretKey: Buffer,
    encryptionKeys: readonly EncryptionKey[],
  ) {
    this.isProduction = env.NODE_ENV === 'production';
    this.publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
    this.publicOrigin = new URL(this.publicUrl).origin;
    this.database = env.DATABASE_URL
      ? {
          kind: 'postgres',
          url: env.DATABASE_URL,
          poolSize: env.DATABASE_POOL_SIZE,
          statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
        }
      : {
          kind: 'pglite',
          dataDir: env.DATA_DIR === IN_MEMORY ? IN_MEMORY : resolve(env.DATA_DIR, 'pglite'),
        };
    this.migrateOnBoot = env.MIGRATE_ON_BOOT ?? this.database.kind === 'pglite';
    this.jobsInApi = env.JOBS_IN_API ?? this.database.kind === 'pglite';
    this.secretKey = secretKey;
    this.encryptionKeys = encryptionKeys;
    this.secureCookies = this.isProduction || this.publicUrl.startsWith('https://');
  }
}

function formatIssues(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}) {
  return error.issues
    .map((issue) => `  ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('\n');
}

/**
 * Outside production a missing SECRET_KEY is generated once into DATA_DIR so that the
 * embedded default survives restarts with the same sessions and encrypted data.
 */
function resolveSecretKey(env: Environment): Buffer {
  if (env.SECRET_KEY) return Buffer.from(env.SECRET_KEY, 'base64');
  if (env.DATA_DIR === IN_MEMORY) return randomBytes(32);
  const file = join(resolve(env.DATA_DIR), 'secret-key');
  if (!existsSync(file)) {
    mkdirSync(resolve(env.DATA_DIR), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

/** Validates the environment and fails fast with every offending variable named. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const values = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(values);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${formatIssues(parsed.error)}`);
  }
  const env = parsed.data;
  const secretKey = resolveSecretKey(env);
  // `k0`, derived from SECRET_KEY, is the default key; it stays available for decryption
  // after ENCRYPTION_KEYS is introduced, so values sealed before that still open.
  const derived = { id: 'k0', key: deriveKey(secretKey, 'encryption-key:k0') };
  const listed = env.ENCRYPTION_KEYS ?? [];
  const encryptionKeys = listed.some(({ id }) => id === 'k0') ? listed : [...listed, derived];
  return new AppConfig(env, secretKey, encryptionKeys);
}

/** HKDF (RFC 5869) domain separation, so one root secret yields independent keys. */
export function deriveKey(root: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), purpose, 32));
}
