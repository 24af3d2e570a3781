// What the benchmarks of bench/run.js and bench/realtime.js share: the child servers they
// start, JSON over HTTP, the form they submit to, a paced stream of requests and figures.
'use strict';
const { spawn } = require('node:child_process');
const net = require('node:net');
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

let sequence = 0;
/**
 * A valid contact-form body with its own e-mail and text, so the spam check's look-back
 * (same content, same IP) does not link the submissions of a stream.
 */
function uniqueSubmission() {
  sequence += 1;
  return JSON.stringify({
    email: `ada-${sequence}@example.com`,
    name: 'Ada Lovelace',
    message: `Hello! Message ${sequence}: I would like to know more about your analytical engine.`,
  });
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

/** Nearest-rank percentile of ascending `sorted`. */
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

const ratio = (a, b) => Math.round((a / b) * 100) / 100;
const rps = (n) => n.toLocaleString('en-US');

module.exports = {
  CONTACT_SCHEMA,
  assertRunning,
  call,
  children,
  freePort,
  paced,
  percentile,
  ratio,
  root,
  rps,
  startChild,
  stopChild,
  uniqueSubmission,
  waitReady,
};
