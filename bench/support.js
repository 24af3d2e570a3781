// What the benchmarks of bench/run.js and its modules (bench/*.js) share: the child servers
// they start and their memory, JSON over HTTP, the keys and forms they make, the loads they
// send (autocannon, a paced stream) and figures.
'use strict';
const autocannon = require('autocannon');
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const net = require('node:net');
const { clearInterval, setInterval } = require('node:timers');
const { performance } = require('node:perf_hooks');
const { join } = require('node:path');

const root = join(__dirname, '..');

/** Every child started, so that cleanup can stop them, also on failure or Ctrl-C. */
const children = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Starts a server as a child; keeps its output tail to show if the bench fails. `ipc` opens
 * a message channel (`child.send`, `child.on('message')`).
 */
function startChild(name, args, env, { ipc = false } = {}) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    // A minimal environment, so a REDIS_URL or NODE_ENV in the caller's shell cannot change what is measured.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
  });
  child.name = name;
  child.output = '';
  const keep = (chunk) => (child.output = (child.output + chunk).slice(-8000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  children.push(child);
  return child;
}

async function waitReady(child, url, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${child.name} exited with code ${child.exitCode}:\n${child.output}`);
    const status = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${child.name} not ready at ${url} after ${timeoutMs} ms:\n${child.output}`);
}

/** `count` children named `name 1..n`, each on a free port with `env(port, urls)`; waits for /readyz. */
async function startInstances(count, name, script, env) {
  const ports = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const group = ports.map((port, i) =>
    startChild(count > 1 ? `${name} ${i + 1}` : name, [script], env(port, urls)),
  );
  try {
    await Promise.all(group.map((child, i) => waitReady(child, `${urls[i]}/readyz`)));
  } catch (error) {
    await Promise.all(group.map((child) => stopChild(child)));
    throw error;
  }
  return { urls, group };
}

/** Stops a child gracefully (SIGTERM), or kills it after `graceMs`. */
function stopChild(child, graceMs = 10_000) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Fails if one of these children has exited: a dead server would only show as timeouts. */
function assertRunning(group) {
  const dead = group.find((child) => child.exitCode !== null || child.signalCode !== null);
  if (dead)
    throw new Error(`${dead.name} exited (${dead.exitCode ?? dead.signalCode}):\n${dead.output}`);
}

async function call(url, { method = 'GET', body, headers = {} } = {}) {
  const response = await fetch(url, {
    method,
    headers: body ? { 'content-type': 'application/json', ...headers } : headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
  return { response, json };
}

/** The forms' 3-field contact schema. */
const CONTACT_SCHEMA = {
  fields: [
    { name: 'email', type: 'email', rules: [{ op: 'required' }] },
    { name: 'name', type: 'string', rules: [{ op: 'max_length', value: 100 }] },
    {
      name: 'message',
      type: 'string',
      rules: [{ op: 'required' }, { op: 'max_length', value: 2000 }],
    },
  ],
};

/** A key of the signed-up owner with these scopes, made with the session as the dashboard does. */
async function createApiKey(appUrl, { sessionCookie, csrf }, name, scopes) {
  const {
    json: { secret },
  } = await call(`${appUrl}/account/api-keys`, {
    method: 'POST',
    body: { name, scopes },
    headers: { cookie: sessionCookie, 'x-csrf-token': csrf },
  });
  return secret;
}

/**
 * A form with the contact schema over the bearer API (a `forms:write` key). `ip_rate_limit: 0`
 * turns the per-IP quota off: the bench measures throughput, not the limiter's refusals.
 */
async function createForm(appUrl, apiKey, slug, extra = {}) {
  const { json } = await call(`${appUrl}/api/forms`, {
    method: 'POST',
    body: {
      name: 'Bench contact',
      slug,
      fields_schema: CONTACT_SCHEMA,
      ip_rate_limit: 0,
      ...extra,
    },
    headers: { authorization: `Bearer ${apiKey}` },
  });
  return {
    id: json.form.id,
    path: new URL(json.form.endpoint).pathname,
    token: json.form.submission_token,
  };
}

/** The contact-form body in each language a benchmark sends; `n` makes it unique. */
const SUBMISSIONS = {
  en: (n) => ({
    email: `ada-${n}@example.com`,
    name: 'Ada Lovelace',
    message: `Hello! Message ${n}: I would like to know more about your analytical engine.`,
  }),
  // Not the owner's language (`en`), so the AI pipeline translates it: tinyld reads it as `fr`.
  fr: (n) => ({
    email: `claire-${n}@example.fr`,
    name: 'Claire Dubois',
    message:
      `Bonjour ! Message ${n} : je voudrais commander vingt chaises pour notre bureau à Lyon. ` +
      'Quels sont vos horaires ? Merci beaucoup !',
  }),
};

let sequence = 0;
/**
 * A valid contact-form body (`language`: a key of SUBMISSIONS) with its own e-mail and
 * text, so the spam check's look-back (same content, same IP) does not link the
 * submissions of a stream.
 */
function uniqueSubmission(language = 'en') {
  sequence += 1;
  return JSON.stringify(SUBMISSIONS[language](sequence));
}

/**
 * Calls `send(i)` for i = 0..count-1 at `ratePerSec`, on a fixed schedule (a slow answer
 * does not delay the next request), and waits for every returned promise. Returns the
 * seconds the sending took.
 */
async function paced(ratePerSec, count, send) {
  const start = performance.now();
  const sent = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / ratePerSec;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    const request = send(i);
    // Reported by Promise.all below; meanwhile an early failure must not count as unhandled.
    request.catch(() => undefined);
    sent.push(request);
  }
  await Promise.all(sent);
  return (performance.now() - start) / 1000;
}

// Duration-based loads (readyz, api-keys, submissions-list): connections and seconds.
const LOAD = {
  connections: Number(process.env.BENCH_CONNECTIONS ?? 20),
  durationSeconds: Number(process.env.BENCH_DURATION ?? 8),
  // Discarded: lets V8 optimise the hot paths and both pools open all their connections.
  warmupSeconds: 2,
};

/** A warm-up, then `LOAD.durationSeconds` measured; any error, timeout or non-2xx fails the run. */
async function load(url, headers, connections = LOAD.connections) {
  const options = { url, headers, connections };
  await autocannon({ ...options, duration: LOAD.warmupSeconds });
  const result = await autocannon({ ...options, duration: LOAD.durationSeconds });
  const figures = {
    requests_per_sec: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non_2xx: result.non2xx,
  };
  if (figures.errors || figures.timeouts || figures.non_2xx) {
    throw new Error(
      `${url}: ${figures.errors} errors, ${figures.timeouts} timeouts, ${figures.non_2xx} non-2xx responses`,
    );
  }
  return figures;
}

/**
 * autocannon with its own clock: with a fixed `amount` it only notices the end at its next
 * one-second sample, so its `duration` and per-second averages are rounded up by up to a
 * second. Here the run lasts from the start until the last response arrives. Several
 * `options` run at once (one instance each, e.g. one per api instance) and their results
 * are merged with autocannon.aggregateResult: counts summed, latencies from one histogram;
 * `statusCodes` has each run's own counts.
 */
async function timed(...options) {
  let first = Infinity;
  let last = -Infinity;
  const runs = options.map((option) => {
    const instance = autocannon({ ...option, skipAggregateResult: true });
    instance.on('start', () => (first = Math.min(first, performance.now())));
    instance.on('response', () => (last = performance.now()));
    return instance;
  });
  const results = await Promise.all(runs);
  // Read before merging: aggregateResult adds the others' counts into the first's objects.
  const statusCodes = results.map((r) =>
    Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, { count }]) => [code, count])),
  );
  const result = autocannon.aggregateResult(results, {
    url: options.map((option) => option.url),
    connections: options.reduce((sum, option) => sum + option.connections, 0),
  });
  return { result, statusCodes, seconds: (last - first) / 1000 };
}

/** Resident set size of a process in MiB, from VmRSS in /proc/<pid>/status (Linux only). */
function rssMb(pid) {
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS for process ${pid}`);
  return Math.round((kb / 1024) * 10) / 10;
}

/**
 * Samples a process's RSS every `intervalMs` until `stop()`, which returns the peak and, to
 * show whether memory levels off or keeps growing, the largest sample of each second. A
 * timer of this process: under load its samples may come late, so the largest gap is given.
 */
function sampleRss(pid, intervalMs = 100) {
  const start = performance.now();
  const perSecond = [rssMb(pid)];
  let samples = 1;
  let at = start;
  let maxGap = 0;
  const sample = () => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - at);
    at = now;
    samples += 1;
    const second = Math.floor((now - start) / 1000);
    perSecond[second] = Math.max(perSecond[second] ?? 0, rssMb(pid));
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      // A second with no sample (a stalled timer) is left out rather than shown as zero.
      const timeline = perSecond.filter((mb) => mb !== undefined);
      return {
        peak_mb: Math.max(...timeline),
        per_second_mb: timeline,
        samples,
        max_gap_ms: Math.round(maxGap),
      };
    },
  };
}

/** Nearest-rank percentile of ascending `sorted`. */
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

const ratio = (a, b) => Math.round((a / b) * 100) / 100;
const rps = (n) => n.toLocaleString('en-US');

module.exports = {
  CONTACT_SCHEMA,
  LOAD,
  assertRunning,
  call,
  children,
  createApiKey,
  createForm,
  freePort,
  load,
  paced,
  percentile,
  ratio,
  root,
  rps,
  rssMb,
  sampleRss,
  startChild,
  startInstances,
  stopChild,
  timed,
  uniqueSubmission,
  waitReady,
};
