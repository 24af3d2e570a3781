import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port';

const root = join(__dirname, '..', '..');

/** A line the supervisor logs (scripts/start-cluster.js): `"name":"cluster"` and an event. */
export interface ClusterEvent {
  event: string;
  instance?: string;
  pid?: number;
  port?: number | null;
  code?: number | null;
  signal?: string | null;
}

export interface ClusterOptions {
  apis: number;
  workers: number;
  databaseUrl: string;
  redisUrl: string;
  /** Extra settings for every instance. */
  env?: Record<string, string>;
}

/** How long a cluster (or an instance of it) may take to start on a busy two-core machine. */
const START_TIMEOUT_MS = 90_000;

/**
 * `npm run start:cluster` as a test runs it: `node scripts/start-cluster.js` from dist/
 * (build it first, see buildDist), reached through its load balancer at `url`. Keeps the
 * supervisor's events, to find an instance's pid or wait for a restart, and the tail of
 * all output, to show when something fails.
 */
export class ClusterProcess {
  readonly events: ClusterEvent[] = [];
  private output = '';
  private readonly exited: Promise<void>;

  /** PUBLIC_URL of the instances (the balancer's port, as `localhost`): dashboards' origin. */
  readonly publicOrigin: string;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.publicOrigin = `http://localhost:${new URL(url).port}`;
    let partial = '';
    const keep = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.output = (this.output + text).slice(-20_000);
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.record(line);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static async start(options: ClusterOptions): Promise<ClusterProcess> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        'scripts/start-cluster.js',
        '--port',
        String(port),
        '--api',
        String(options.apis),
        '--workers',
        String(options.workers),
      ],
      {
        cwd: root,
        // A minimal environment, as AppProcess: nothing of the test runner's leaks in.
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          DATABASE_URL: options.databaseUrl,
          REDIS_URL: options.redisUrl,
          SECRET_KEY: randomBytes(32).toString('base64'),
          LOG_LEVEL: 'warn',
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const cluster = new ClusterProcess(child, `http://127.0.0.1:${port}`);
    await cluster.next((event) => event.event === 'cluster-ready', 0, 'the cluster to start');
    return cluster;
  }

  private record(line: string): void {
    if (!line.includes('"name":"cluster"')) return;
    const entry = JSON.parse(line) as ClusterEvent & { name: string };
    this.events.push(entry);
  }

  /** The latest incarnation of `instance` (its pid and, for an api, its own port). */
  instance(name: string): { pid: number; port: number | null } {
    const started = this.events.findLast((e) => e.event === 'started' && e.instance === name);
    if (!started?.pid) throw new Error(`${name} never started:\n${this.output}`);
    return { pid: started.pid, port: started.port ?? null };
  }

  /** Waits (bounded) for an event matching `match` at or after index `from` of `events`. */
  async next(match: (event: ClusterEvent) => boolean, from: number, what: string) {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`the cluster exited while waiting for ${what}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${this.output}`);
      await sleep(50);
    }
  }

  /** Waits for `instance` to be back in the balancer after it last left it. */
  async whenReadyAgain(instance: string, from: number): Promise<void> {
    await this.next((e) => e.event === 'ready' && e.instance === instance, from, `${instance}`);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  get log(): string {
    return this.output;
  }

  /**
   * SIGTERM (drain and stop everything); if that hangs, SIGKILL for the supervisor and the
   * instances it would have stopped. Resolves on exit, with the supervisor's exit code.
   */
  async stop(): Promise<{ code: number | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.kill(), 30_000);
      await this.exited;
      clearTimeout(timer);
    }
    return { code: this.child.exitCode };
  }

  /** Only each instance's latest pid, and only while it still runs an Intake app. */
  private kill(): void {
    this.child.kill('SIGKILL');
    const names = new Set(this.events.flatMap((e) => (e.instance ? [e.instance] : [])));
    for (const name of names) {
      const { pid } = this.instance(name);
      const cmdline = `/proc/${pid}/cmdline`;
      const command = existsSync(cmdline) ? readFileSync(cmdline, 'utf8') : '';
      if (command.includes('dist/apps/')) process.kill(pid, 'SIGKILL');
    }
  }
}
