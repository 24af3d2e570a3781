import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { KeyRotation, SecretBox, type SealedColumn } from '@intake/common';
import { loadConfig } from '@intake/config';
import { PrismaService } from '@intake/database';
import { DeliveryRunner, DestinationSealedColumns } from '@intake/destinations';
import { JobRunner } from '@intake/pipeline';
import { CliModule } from '../../apps/cli/src/cli.module';
import {
  formatKeyStatus,
  formatResealReports,
  keyStatus,
  rotateKeys,
} from '../../apps/cli/src/key-rotation';
import { PASSWORD, signUp, withApiKey, type ApiOwner } from '../support/accounts';
import { buildDist } from '../support/app-process';
import { createForm, type CreatedForm } from '../support/forms';
import { startReceiver, verifyingReply, verifyWebhook, type Receiver } from '../support/receivers';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../support/test-database';
import { enableTwoFactor, totpCode, type TwoFactorUser } from '../support/two-factor';

const encryptionKey = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const A = encryptionKey('kA');
const B = encryptionKey('kB');
const C = encryptionKey('kC');
const D = encryptionKey('kD');
/** A key no deployment ever lists: what it sealed cannot be opened. */
const LOST = encryptionKey('kx');
const SECRET_KEY = randomBytes(32).toString('base64');
const REDIRECT_URI = 'http://127.0.0.1:53999/callback';
const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

const keyIdOf = (sealed: string | null) => sealed?.split('.')[1];

/** PostgreSQL: a schema of its own. Embedded: PGlite on disk, so each process finds it. */
async function deploymentDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  if (usingPostgres) return database;
  const dataDir = mkdtempSync(join(tmpdir(), 'intake-keys-'));
  return {
    env: { ...database.env, DATA_DIR: dataDir },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/**
 * Rotation of ENCRYPTION_KEYS over the real services: secrets sealed by an api running on
 * key A are moved to key B by `keys rotate` (in process, then from dist/ as an operator runs
 * it), and an api that knows only B still uses every one of them.
 *
 * One deployment, opened by one process after another: the api, the CLI in this process,
 * the api again, the CLI from dist/. On the embedded database it lives on disk, not in
 * memory, so each finds what the previous one left: PGlite takes one process at a time,
 * and in turn is fine, so this file runs on both databases.
 */
describe('encryption-key rotation (keys rotate, keys status)', () => {
  let database: TestDatabase;
  let hook: Receiver;
  let user: TwoFactorUser & ApiOwner;
  let form: CreatedForm;
  let webhook: { id: string; secret: string };
  let lostDestinationId: string;
  let lostSealed: string;
  let client: { client_id: string; client_secret: string };
  /** Everything the CLI printed, searched for plaintext secrets at the end. */
  const printed: string[] = [];

  const envWith = (keys: string) => ({
    ...database.env,
    SECRET_KEY,
    ENCRYPTION_KEYS: keys,
    LOG_LEVEL: 'silent',
  });

  async function withApi<T>(keys: string, work: (test: TestApp) => Promise<T>): Promise<T> {
    // startTestApp also makes (and drops) a database of its own; envWith points it at ours.
    const test = await startTestApp({
      ...envWith(keys),
      ALLOW_PRIVATE_DESTINATIONS: 'true',
      ANONYMOUS_RATE_LIMIT_PER_MINUTE: '1000',
    });
    try {
      return await work(test);
    } finally {
      await test.close();
    }
  }

  async function withCli<T>(keys: string, work: (app: INestApplicationContext) => Promise<T>) {
    const app = await NestFactory.createApplicationContext(
      CliModule.register(loadConfig(envWith(keys))),
      { logger: false },
    );
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  }

  async function runDistCli(keys: string, ...args: string[]): Promise<string> {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, 'keys', ...args], {
      // A minimal environment, as AppProcess gives the api: nothing of jest's leaks in.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...envWith(keys) },
    });
    printed.push(stdout, stderr);
    return stdout;
  }

  async function sealedValues(app: INestApplicationContext) {
    const prisma = app.get(PrismaService);
    const owner = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    const destinations = await prisma.destination.findMany({ orderBy: { id: 'asc' } });
    const records = await prisma.oAuthRecord.findMany();
    return {
      totpSecret: owner.totpSecret,
      backupCodes: owner.backupCodes,
      destinations: new Map(destinations.map((row) => [row.id, row.secretSealed])),
      records: records.map((row) => row.sealedPayload),
    };
  }

  beforeAll(async () => {
    buildDist();
    database = await deploymentDatabase();
    hook = await startReceiver();
    await withApi(A, async (test) => {
      user = await withApiKey(test, await enableTwoFactor(await signUp(test)));
      form = await createForm(user, { ip_rate_limit: 0 });
      const created = await user
        .api('post', `/api/forms/${form.id}/destinations`)
        .send({ name: 'Receiver', type: 'webhook', url: hook.url })
        .expect(201);
      webhook = created.body.destination as { id: string; secret: string };
      // A secret whose key has been lost, on a form of its own so nothing is delivered to it.
      const otherForm = await createForm(user);
      const lost = await user
        .api('post', `/api/forms/${otherForm.id}/destinations`)
        .send({ name: 'Lost', type: 'webhook', url: hook.url })
        .expect(201);
      lostDestinationId = (lost.body.destination as { id: string }).id;
      lostSealed = new SecretBox(loadConfig({ DATA_DIR: 'memory://', ENCRYPTION_KEYS: LOST })).seal(
        'whsec_lost',
        `destination.webhook_secret:${lostDestinationId}`,
      );
      await test.prisma.destination.update({
        where: { id: lostDestinationId },
        data: { secretSealed: lostSealed },
      });
      const registered = await request(test.url)
        .post('/oauth/register')
        .send({
          redirect_uris: [REDIRECT_URI],
          client_name: 'Rotation test',
          token_endpoint_auth_method: 'client_secret_basic',
        })
        .expect(201);
      client = registered.body as { client_id: string; client_secret: string };
    });
  }, 120_000);

  afterAll(async () => {
    await hook?.close();
    await database?.drop();
  });

  it('re-seals every value under the new key, and reports the one it cannot open', async () => {
    await withCli(`${B},${A}`, async (app) => {
      const before = await sealedValues(app);
      expect(keyIdOf(before.totpSecret)).toBe('kA');
      expect(before.records.length).toBeGreaterThan(0);

      // Batches of one: every column takes several pages.
      const reports = await rotateKeys(app, 1);
      printed.push(formatResealReports('kB', reports));
      const records = before.records.length;
      expect(reports).toEqual([
        {
          column: 'users.totp_secret',
          resealed: 1,
          current: 0,
          unreadable: 0,
          changedMeanwhile: 0,
        },
        {
          column: 'users.backup_codes',
          resealed: 1,
          current: 0,
          unreadable: 0,
          changedMeanwhile: 0,
        },
        {
          column: 'destinations.secret_sealed',
          resealed: 1,
          current: 0,
          unreadable: 1,
          changedMeanwhile: 0,
        },
        {
          column: 'oauth_records.sealed_payload',
          resealed: records,
          current: 0,
          unreadable: 0,
          changedMeanwhile: 0,
        },
      ]);

      const after = await sealedValues(app);
      expect(keyIdOf(after.totpSecret)).toBe('kB');
      expect(keyIdOf(after.backupCodes)).toBe('kB');
      expect(keyIdOf(after.destinations.get(webhook.id) ?? null)).toBe('kB');
      expect(after.records.map(keyIdOf)).toEqual(after.records.map(() => 'kB'));
      // Reported, never destroyed: the day its key turns up, it opens again.
      expect(after.destinations.get(lostDestinationId)).toBe(lostSealed);
    });
  });

  it('finds nothing left to do on a second run, and says which keys are still needed', async () => {
    await withCli(`${B},${A}`, async (app) => {
      const reports = await rotateKeys(app, 500);
      printed.push(formatResealReports('kB', reports));
      expect(reports.map((report) => report.resealed)).toEqual([0, 0, 0, 0]);
      expect(reports.map((report) => report.unreadable)).toEqual([0, 0, 1, 0]);

      const status = await keyStatus(app, 500);
      printed.push(formatKeyStatus(status));
      expect(status.currentKeyId).toBe('kB');
      expect(status.columns.map((column) => [column.column, column.byKeyId])).toEqual([
        ['users.totp_secret', { kB: 1 }],
        ['users.backup_codes', { kB: 1 }],
        ['destinations.secret_sealed', { kB: 1, kx: 1 }],
        ['oauth_records.sealed_payload', { kB: status.columns[3]?.byKeyId.kB }],
      ]);
      expect(status.unusedKeyIds).toEqual(['kA']);
      expect(status.olderKeyIdsInUse).toEqual([]);
      expect(status.unknownKeyIds).toEqual(['kx']);
    });
  });

  it('leaves an api that knows only the new key able to use every secret', async () => {
    await withApi(B, async (test) => {
      // TOTP seed and backup codes: both second factors still sign in.
      const login = (code: string) =>
        request(test.url).post('/auth/login').send({ email: user.email, password: PASSWORD, code });
      await login(totpCode(user.secret, 1)).expect(200);
      await login(user.backupCodes[0] ?? '').expect(200);

      // The webhook secret signs as it did: the receiver verifies with the one shown at creation.
      hook.reply = verifyingReply(() => webhook.secret);
      await request(test.url)
        .post(form.path)
        .send({ email: 'ada@example.com', message: 'Hi' })
        .expect(201);
      await test.app.get(JobRunner).drain();
      expect(await test.app.get(DeliveryRunner).drain()).toBe(1);
      expect(hook.received).toHaveLength(1);
      expect(() => verifyWebhook(webhook.secret, hook.received[0]!)).not.toThrow();

      // The OAuth client loads and its secret authenticates it: the token endpoint gets as far
      // as the (bogus) code, while a wrong secret stops at client authentication.
      const token = (secret: string) =>
        request(test.url)
          .post('/oauth/token')
          .auth(client.client_id, secret)
          .type('form')
          .send({ grant_type: 'authorization_code', code: 'bogus', redirect_uri: REDIRECT_URI });
      expect((await token(client.client_secret).expect(400)).body.error).toBe('invalid_grant');
      expect((await token('not-the-secret').expect(401)).body.error).toBe('invalid_client');
    });
  });

  it('runs from dist/ as an operator runs it', async () => {
    const rotated = await runDistCli(`${C},${B}`, 'rotate');
    expect(rotated).toContain('Re-sealed under key kC');
    expect(rotated).toMatch(/^users\.totp_secret\s+1\s+0\s+0\s+0$/m);
    expect(rotated).toMatch(/^destinations\.secret_sealed\s+1\s+0\s+1\s+0$/m);
    expect(rotated).toMatch(/1 value\(s\) could not be opened/);

    const status = await runDistCli(`${C},${B}`, 'status');
    expect(status).toContain('Current key: kC');
    expect(status).toMatch(/^destinations\.secret_sealed\s+kC: 1, kx: 1$/m);
    expect(status).toContain('removable from ENCRYPTION_KEYS: kB (');
  });

  it('lets a write that lands during a batch win over the re-sealed value', async () => {
    await withCli(`${D},${C}`, async (app) => {
      const box = app.get(SecretBox);
      const prisma = app.get(PrismaService);
      const [column] = app.get(DestinationSealedColumns).columns as [SealedColumn<string>];
      // The owner regenerates the secret between the batch's read and its write.
      const concurrent = box.seal('whsec_regenerated', `destination.webhook_secret:${webhook.id}`);
      const racing: SealedColumn<string> = {
        name: column.name,
        page: (after, limit) => column.page(after, limit),
        replace: async (changes) => {
          await prisma.destination.update({
            where: { id: webhook.id },
            data: { secretSealed: concurrent },
          });
          return column.replace(changes);
        },
      };
      const [report] = await app.get(KeyRotation).reseal([racing], 10);
      expect(report).toEqual({
        column: 'destinations.secret_sealed',
        resealed: 0,
        current: 0,
        unreadable: 1,
        changedMeanwhile: 1,
      });
      expect((await sealedValues(app)).destinations.get(webhook.id)).toBe(concurrent);
    });
  });

  it('never prints a secret', () => {
    const output = printed.join('\n');
    expect(output).toContain('users.totp_secret');
    const secrets = [
      user.secret,
      ...user.backupCodes,
      ...user.backupCodes.map((code) => code.replace('-', '')),
      webhook.secret,
      webhook.secret.replace(/^whsec_/, ''),
      client.client_secret,
      ...[A, B, C, D, LOST].map((entry) => entry.split(':')[1] ?? ''),
    ];
    for (const secret of secrets) expect(output).not.toContain(secret);
  });
});
