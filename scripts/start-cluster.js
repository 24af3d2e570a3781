#!/usr/bin/env node
// `npm run start:cluster`: Intake scaled out on one machine, the topology of
// docker-compose.yml as local processes on a PostgreSQL and a Redis of your own:
//
//   client :PORT -> load balancer (scripts/cluster/load-balancer.js) -> api-1..api-N
//   api-*, worker-1..worker-M -> DATABASE_URL (data, job queue), REDIS_URL (limits, fan-out)
//
//   npm run start:cluster -- --api 3 --workers 2      (defaults: 2 apis, 1 worker, PORT 3000)
//
// Migrations run once, before any instance starts (MIGRATE_ON_BOOT stays off, so instances
// never race to migrate). An instance that exits unexpectedly is restarted, as compose's
// `restart: unless-stopped` would. SIGTERM or SIGINT drains and stops everything; SIGHUP
// restarts the instances one at a time (after `npm run build`, that deploys the new build
// without dropping a request). Logs are JSON lines: the instances' own and, with
// "name":"cluster", the supervisor's. See docs/operations.md.
'use strict';
const { spawn } = require('node:child_process');
const { once } = require('node:events');
const net = require('node:net');
const { join } = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { parseArgs } = require('node:util');
const pino = require('pino');
const { LoadBalancer } = require('./cluster/load-balancer');

const root = join(__dirname, '..');
const logger = pino({ name: 'cluster' });

const { values: args } = parseArgs({
  options: {
    api: { type: 'string', default: '2' },
    workers: { type: 'string', default: '1' },
    port: { type: 'string', default: process.env.PORT ?? '3000' },
  },
});
const API_COUNT = Number(args.api);
const WORKER_COUNT = Number(args.workers);
const PORT = Number(args.port);
/** The instances' own grace (SHUTDOWN_GRACE_MS), plus a margin before SIGKILL. */
const STOP_TIMEOUT_MS = Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000) + 5_000;
/** A restarted instance that exits again within this is crash-looping: back off. */
const STABLE_AFTER_MS = 10_000;

function fail(message) {
  logger.fatal({ event: 'failed' }, message);
  process.exit(1);
}

/** The balancer's timeouts towards clients: the api's own settings, same defaults. */
function milliseconds(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1_000)
    fail(`${name} must be a whole number of ms, 1000 or more`);
  return value;
}

if (!Number.isInteger(API_COUNT) || API_COUNT < 1) fail('--api must be a whole number, 1 or more');
if (!Number.isInteger(WORKER_COUNT) || WORKER_COUNT < 0) fail('--workers must be 0 or more');
// Instances of one deployment share state only through these two (an embedded database
// belongs to one process, in-memory limits to one instance).
for (const name of ['DATABASE_URL', 'REDIS_URL'])
  if (!process.env[name]) fail(`${name} is required: the instances share PostgreSQL and Redis`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** The CLI's `migrate`, as a child: the balancer keeps serving meanwhile (SIGHUP). */
async function migrate() {
  const child = spawn(process.execPath, ['dist/apps/cli/src/main.js', 'migrate'], {
    cwd: root,
    stdio: 'inherit',
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`migrate failed (exit ${code})`);
}

/** Resolves when `port` answers /healthz (the process is up; readiness is /readyz's). */
async function answering(port, child) {
  while (child.exitCode === null && child.signalCode === null) {
    const status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return true;
    await sleep(200);
  }
  return false;
}

/** One supervised process: an api (behind the balancer) or a worker. */
class Instance {
  constructor(kind, index, port, env) {
    this.kind = kind;
    this.name = `${kind}-${index + 1}`;
    this.port = port;
    this.env = env;
    this.child = null;
    this.stopping = false;
    this.crashes = 0;
    /** Resolved at the next 'ready', whichever incarnation reaches it. */
    this.readyWaiters = [];
  }

  nextReady() {
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  ready(child) {
    if (this.port) balancer.setAvailable(this.name, true);
    logger.info({ event: 'ready', instance: this.name, pid: child.pid });
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  start() {
    this.stopping = false;
    const startedAt = Date.now();
    const child = spawn(process.execPath, [`dist/apps/${this.kind}/src/main.js`], {
      cwd: root,
      env: this.env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    this.child = child;
    logger.info({ event: 'started', instance: this.name, pid: child.pid, port: this.port });
    child.once('exit', (code, signal) => {
      if (this.port) balancer.setAvailable(this.name, false);
      logger.warn({ event: 'exited', instance: this.name, code, signal });
      if (this.stopping || stopping) return;
      // Unexpected (a crash, or a signal from outside): restart, backing off if it loops.
      this.crashes = Date.now() - startedAt < STABLE_AFTER_MS ? this.crashes + 1 : 1;
      const delayMs = Math.min(10_000, 500 * 2 ** (this.crashes - 1));
      logger.info({ event: 'restarting', instance: this.name, delayMs });
      setTimeout(() => !stopping && this.child === child && this.start(), delayMs);
    });
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    // A worker has no port to ask: started is as ready as it gets.
    if (!this.port) this.ready(child);
    else
      void answering(this.port, child).then(
        (up) => up && this.child === child && !stopping && this.ready(child),
      );
  }

  /**
   * Out of the balancer first, and SIGTERM once what it had in flight there is answered:
   * no request is cut, none waits in a backlog the instance is about to close.
   */
  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.stopping = true;
    if (this.port) {
      balancer.setAvailable(this.name, false);
      await balancer.whenIdle(this.name, STOP_TIMEOUT_MS);
    }
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** Back in service before it returns (a crash-looping restart keeps it waiting). */
  async restart() {
    await this.stop();
    const ready = this.nextReady();
    this.start();
    await ready;
  }
}

let stopping = false;
let rolling = false;
let balancer;
let instances = [];

async function main() {
  await migrate();
  // Every instance gets the same environment, bar what places it.
  const shared = {
    ...process.env,
    // Migrated just now; the apis leave the queue to the workers (as in compose).
    MIGRATE_ON_BOOT: 'false',
    JOBS_IN_API: 'false',
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${PORT}`,
  };
  const ports = [];
  for (let i = 0; i < API_COUNT; i++) ports.push(await freePort());
  const apis = ports.map(
    (port, i) =>
      new Instance('api', i, port, {
        ...shared,
        PORT: String(port),
        // Reached only through the balancer, which sets X-Forwarded-For: one trusted hop.
        HOST: '127.0.0.1',
        TRUST_PROXY: '1',
      }),
  );
  const metricsPort = process.env.METRICS_PORT && Number(process.env.METRICS_PORT);
  const workers = Array.from(
    { length: WORKER_COUNT },
    (_, i) =>
      new Instance('worker', i, null, {
        ...shared,
        // Each worker serves its own metrics: consecutive ports from METRICS_PORT.
        ...(metricsPort ? { METRICS_PORT: String(metricsPort + i) } : {}),
      }),
  );
  instances = [...apis, ...workers];
  balancer = new LoadBalancer(apis, logger, {
    headersTimeoutMs: milliseconds('HTTP_HEADERS_TIMEOUT_MS', 15_000),
    requestTimeoutMs: milliseconds('HTTP_REQUEST_TIMEOUT_MS', 30_000),
    keepAliveTimeoutMs: milliseconds('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000),
  });
  const listening = await balancer.listen(PORT, process.env.HOST);
  logger.info({ event: 'listening', port: listening }, `Intake cluster on port ${listening}`);
  const ready = Promise.all(instances.map((instance) => instance.nextReady()));
  for (const instance of instances) instance.start();
  await ready;
  logger.info(
    { event: 'cluster-ready', apis: API_COUNT, workers: WORKER_COUNT },
    `Intake cluster ready: ${API_COUNT} api(s) and ${WORKER_COUNT} worker(s) behind port ${listening}`,
  );
}

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  logger.info({ event: 'stopping', signal });
  // No new connections; requests in flight go on while the instances drain them.
  const closed = balancer?.close();
  await Promise.all(instances.map((instance) => instance.stop()));
  balancer?.destroyConnections();
  await closed;
  logger.info({ event: 'stopped' });
  process.exit(0);
}

/** SIGHUP: migrate (a new build may bring migrations), then one instance at a time. */
async function rollingRestart() {
  if (rolling || stopping) return;
  rolling = true;
  logger.info({ event: 'rolling-restart' });
  try {
    await migrate();
    for (const instance of instances) if (!stopping) await instance.restart();
    logger.info({ event: 'rolling-restart-done' });
  } catch (error) {
    logger.error({ event: 'rolling-restart-failed', error: error.message });
  } finally {
    rolling = false;
  }
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGHUP', () => void rollingRestart());

main().catch((error) => {
  logger.fatal({ event: 'failed', error: error.message }, 'the cluster failed to start');
  stopping = true;
  for (const instance of instances) instance.child?.kill('SIGKILL');
  process.exit(1);
});
