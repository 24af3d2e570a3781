import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Command, InvalidArgumentError } from 'commander';
import {
  AccountsService,
  API_SCOPES,
  ApiKeysService,
  emailSchema,
  isApiScope,
  passwordSchema,
  UsersRepository,
  type ApiScope,
  type ClientContext,
} from '@intake/auth';
import { DEFAULT_ROTATION_BATCH_SIZE, KeyRotation, randomToken } from '@intake/common';
import { loadConfig } from '@intake/config';
import { prettifyError, z, ZodError } from 'zod';
import { MigrationsService, Migrator } from '@intake/database';
import { CliModule } from './cli.module';
import { formatKeyStatus, formatResealReports, keyStatus, rotateKeys } from './key-rotation';

const CLI_CLIENT: ClientContext = { ip: null, userAgent: 'intake-cli', requestId: null };

async function withApp<T>(work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(CliModule.register(config), {
    logger: false,
    abortOnError: false,
  });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function parseScopes(value: string): ApiScope[] {
  const scopes = value.split(',').map((scope) => scope.trim());
  const unknown = scopes.filter((scope) => !isApiScope(scope));
  if (unknown.length) {
    throw new InvalidArgumentError(
      `unknown scope(s): ${unknown.join(', ')}; known: ${API_SCOPES.join(', ')}`,
    );
  }
  return scopes.filter(isApiScope);
}

const batchSizeSchema = z.coerce.number().int().min(1).max(10_000);

function parseBatchSize(value: string): number {
  const parsed = batchSizeSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('must be a whole number from 1 to 10000');
  return parsed.data;
}

const program = new Command('intake').description('Intake admin commands').showHelpAfterError();

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(() =>
    withApp(async (app) => {
      const applied = await app.get(MigrationsService).applyPending();
      process.stdout.write(
        applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n',
      );
    }),
  );

program
  .command('migration:new')
  .description(
    'write the next migration from the difference between prisma/migrations and schema.prisma',
  )
  .argument('<name>', 'snake_case name, e.g. add_forms')
  .action(async (name: string) => {
    const dir = await new Migrator().create(name);
    process.stdout.write(
      dir ? `Created ${dir}\n` : 'schema.prisma matches the migrations; nothing to do.\n',
    );
  });

async function createApiKey(
  app: INestApplicationContext,
  ownerId: string,
  name: string,
  scopes?: ApiScope[],
): Promise<void> {
  const { apiKey, secret } = await app
    .get(ApiKeysService)
    .create(ownerId, { name, scopes }, CLI_CLIENT);
  process.stdout.write(
    `Created API key ${apiKey.name} (${apiKey.id}) with scopes ${apiKey.scopes.join(', ')}\n`,
  );
  process.stdout.write(`Secret (shown once): ${secret}\n`);
}

const scopesOption = [
  '--scopes <list>',
  `comma-separated scopes (default: all of ${API_SCOPES.join(', ')})`,
  parseScopes,
] as const;

const user = program.command('user').description('manage accounts');
user
  .command('create')
  .description(
    'create a password account; the password is read from stdin with --password-stdin, else generated and printed once',
  )
  .requiredOption('--email <email>', 'e-mail address')
  .option('--password-stdin', 'read the password from standard input')
  .option('--api-key <name>', 'also create an API key with this name and print it once')
  .option(...scopesOption)
  .action(
    (options: { email: string; passwordStdin?: boolean; apiKey?: string; scopes?: ApiScope[] }) =>
      withApp(async (app) => {
        const generated = options.passwordStdin ? null : randomToken(18);
        const password = passwordSchema.parse(generated ?? (await readStdin()));
        const created = await app
          .get(AccountsService)
          .register({ email: emailSchema.parse(options.email), password }, CLI_CLIENT);
        process.stdout.write(`Created user ${created.email} (${created.id})\n`);
        if (generated) process.stdout.write(`Password (shown once): ${generated}\n`);
        if (options.apiKey) await createApiKey(app, created.id, options.apiKey, options.scopes);
      }),
  );

const apikey = program.command('apikey').description('manage API keys');
apikey
  .command('create')
  .description('create an API key for an account and print its secret once')
  .requiredOption('--email <email>', 'owner e-mail address')
  .requiredOption('--name <name>', 'a name to recognise the key by')
  .option(...scopesOption)
  .action((options: { email: string; name: string; scopes?: ApiScope[] }) =>
    withApp(async (app) => {
      const owner = await app.get(UsersRepository).findByEmail(emailSchema.parse(options.email));
      if (!owner) throw new Error(`No account for ${options.email}`);
      await createApiKey(app, owner.id, options.name, options.scopes);
    }),
  );

const batchSizeOption = [
  '--batch-size <rows>',
  'rows per batch (one read and one write each)',
  parseBatchSize,
  DEFAULT_ROTATION_BATCH_SIZE,
] as const;

const keys = program
  .command('keys')
  .description('the encryption keys of secrets at rest (ENCRYPTION_KEYS)');
keys
  .command('rotate')
  .description(
    're-seal every stored secret that is not under the first key of ENCRYPTION_KEYS; safe beside live traffic and to run again',
  )
  .option(...batchSizeOption)
  .action((options: { batchSize: number }) =>
    withApp(async (app) => {
      const reports = await rotateKeys(app, options.batchSize);
      process.stdout.write(formatResealReports(app.get(KeyRotation).currentKeyId, reports));
    }),
  );
keys
  .command('status')
  .description('count the stored secrets each key id seals, to know when an old key can go')
  .option(...batchSizeOption)
  .action((options: { batchSize: number }) =>
    withApp(async (app) => {
      process.stdout.write(formatKeyStatus(await keyStatus(app, options.batchSize)));
    }),
  );

program.parseAsync().catch((error: unknown) => {
  const message =
    error instanceof ZodError
      ? prettifyError(error)
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(`intake: ${message}\n`);
  process.exit(1);
});
