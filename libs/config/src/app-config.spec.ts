import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

const secret = () => randomBytes(32).toString('base64');
const placeholderSecret = Buffer.from('CHANGE_ME_CHANGE_ME_CHANGE_ME_CHANGE_ME').toString('base64');

describe('loadConfig', () => {
  it('serves the embedded default with nothing set', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'intake-config-'));
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.env.PORT).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: join(dataDir, 'pglite') });
    expect(config.migrateOnBoot).toBe(true);
    expect(config.secureCookies).toBe(false);
  });

  it('generates the secret key once into DATA_DIR, readable only by its owner', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'intake-config-'));
    const first = loadConfig({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(first.secretKey.equals(second.secretKey)).toBe(true);
    expect(first.secretKey).toHaveLength(32);
    expect(statSync(join(dataDir, 'secret-key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'secret-key'), 'utf8')).toBe(
      first.secretKey.toString('base64'),
    );
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://intake@db:5432/intake',
      SECRET_KEY: secret(),
    });
    expect(config.database).toEqual(
      expect.objectContaining({ kind: 'postgres', url: 'postgresql://intake@db:5432/intake' }),
    );
    expect(config.migrateOnBoot).toBe(false);
  });

  it.each([
    ['a non-numeric PORT', { PORT: 'eighty' }, 'PORT'],
    ['a DATABASE_URL of another kind', { DATABASE_URL: 'mysql://db/intake' }, 'DATABASE_URL'],
    ['a short SECRET_KEY', { SECRET_KEY: 'c2hvcnQ=' }, 'SECRET_KEY'],
    ['a malformed ENCRYPTION_KEYS', { ENCRYPTION_KEYS: 'k1:short' }, 'ENCRYPTION_KEYS'],
    ['a GitHub id without its secret', { GITHUB_CLIENT_ID: 'abc' }, 'GITHUB_CLIENT_SECRET'],
    ['an unknown LOG_LEVEL', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ['a short METRICS_TOKEN', { METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    ['a METRICS_PORT without its token', { METRICS_PORT: '9464' }, 'METRICS_TOKEN'],
  ])('stops on %s, naming the variable', (_, env, name) => {
    expect(() => loadConfig({ DATA_DIR: 'memory://', ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: 'memory://', ...env })).toThrow(
      new RegExp(`^Invalid configuration:\\n.*${name}:`, 's'),
    );
  });

  describe('in production', () => {
    it('requires SECRET_KEY', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: 'memory://' })).toThrow(
        /SECRET_KEY: is required when NODE_ENV=production/,
      );
    });

    it.each([
      ['SECRET_KEY', { SECRET_KEY: placeholderSecret }],
      [
        'GITHUB_CLIENT_SECRET',
        { SECRET_KEY: secret(), GITHUB_CLIENT_ID: 'id', GITHUB_CLIENT_SECRET: 'CHANGE_ME' },
      ],
      ['OPENAI_API_KEY', { SECRET_KEY: secret(), OPENAI_API_KEY: 'sk-CHANGE_ME' }],
      ['METRICS_TOKEN', { SECRET_KEY: secret(), METRICS_TOKEN: 'CHANGE_ME'.repeat(4) }],
    ])('refuses a placeholder %s', (name, env) => {
      expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: 'memory://', ...env })).toThrow(
        new RegExp(`${name}: is still a placeholder`),
      );
    });

    it('refuses ALLOW_PRIVATE_DESTINATIONS', () => {
      expect(() =>
        loadConfig({
          NODE_ENV: 'production',
          SECRET_KEY: secret(),
          ALLOW_PRIVATE_DESTINATIONS: 'true',
        }),
      ).toThrow(/ALLOW_PRIVATE_DESTINATIONS/);
    });

    it('turns on secure cookies', () => {
      expect(
        loadConfig({ NODE_ENV: 'production', SECRET_KEY: secret(), DATA_DIR: 'memory://' })
          .secureCookies,
      ).toBe(true);
    });
  });

  it('keeps the derived default key for decryption once explicit ENCRYPTION_KEYS arrive', () => {
    const root = secret();
    const before = loadConfig({ DATA_DIR: 'memory://', SECRET_KEY: root });
    const after = loadConfig({
      DATA_DIR: 'memory://',
      SECRET_KEY: root,
      ENCRYPTION_KEYS: `k1:${secret()}`,
    });
    expect(after.encryptionKeys.map(({ id }) => id)).toEqual(['k1', 'k0']);
    expect(
      after.encryptionKeys[1]?.key.equals(before.encryptionKeys[0]?.key ?? Buffer.alloc(0)),
    ).toBe(true);
  });
});
