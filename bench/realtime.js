// The realtime benchmark (see bench/README.md, Realtime): how soon, and to how many of the
// owner's dashboard sockets, a submission's live events arrive when the api runs as 2
// instances on one Redis, against 2 bare socket.io + @socket.io/redis-adapter servers
// (bench/realtime-baseline-server.js) in the same run.
'use strict';
const { performance } = require('node:perf_hooks');
const Redis = require('ioredis');
const {
  assertRunning,
  createApiKey,
  createForm,
  paced,
  percentile,
  ratio,
  rps,
  startChild,
  startInstances,
  stopChild,
  uniqueSubmission,
} = require('./support');

const REALTIME = {
  instances: 2,
  sockets: Number(process.env.BENCH_REALTIME_SOCKETS ?? 200),
  rate: Number(process.env.BENCH_REALTIME_RATE ?? 20),
  seconds: Number(process.env.BENCH_REALTIME_SECONDS ?? 10),
  // 0 measures `submission.created` only: `submission.processed` comes from a worker.
  workers: Number(process.env.BENCH_REALTIME_WORKERS ?? 1),
  // Not counted in the figures (but checked for fan-out): JIT, pools, and the workers' boot.
  warmupSeconds: 1,
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  // Processes holding the sockets (bench/realtime-dashboards.js), apart from the one that
  // sends the POSTs and notes the 201s, so that parsing 200 copies of an event cannot delay it.
  clients: 2,
  // An event still missing at some socket this long after the stream's last 201 fails the run.
  timeoutMs: 30_000,
};
const CREATED = 'submission.created';
const PROCESSED = 'submission.processed';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (value) => Math.round(value * 10) / 10;

/** A connection to the Redis the run uses, or a clear failure when there is none. */
async function connectRedis(url) {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    throw new Error(
      `realtime: no Redis at ${new URL(url).host} (set REDIS_URL, or BENCH_ONLY without realtime): ${error.message}`,
    );
  }
}

/** The keys the run left under its prefix (the api's rate-limit counters); pub/sub leaves none. */
async function deleteKeys(redis, prefix) {
  for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }))
    if (keys.length > 0) await redis.unlink(...keys);
}

/**
 * Opens `count` sockets, socket i on instance i mod n, in `REALTIME.clients` processes of
 * bench/realtime-dashboards.js, and notes when each socket receives each event:
 * `arrivals` maps "type subject-id" to the arrival time per socket, on this process's clock.
 */
async function openDashboards(urls, options, count) {
  const log = { arrivals: new Map(), duplicates: {}, lost: [] };
  const note = (index, type, subjectId, at) => {
    const key = `${type} ${subjectId}`;
    let event = log.arrivals.get(key);
    if (!event) {
      event = { at: new Float64Array(count).fill(Number.NaN), received: 0 };
      log.arrivals.set(key, event);
    }
    if (!Number.isNaN(event.at[index])) {
      log.duplicates[type] = (log.duplicates[type] ?? 0) + 1;
      return;
    }
    event.at[index] = at;
    event.received += 1;
  };
  const clients = [];
  const connected = [];
  const perClient = Math.ceil(count / REALTIME.clients);
  for (let first = 0; first < count; first += perClient) {
    const client = startChild(
      `dashboards ${clients.length + 1}`,
      ['bench/realtime-dashboards.js'],
      {},
      { ipc: true },
    );
    clients.push(client);
    client.on('message', (message) => {
      // The client's clock is the machine's (timeOrigin + now): back to this process's.
      for (const [index, type, subjectId, at] of message.arrivals ?? [])
        note(index, type, subjectId, at - performance.timeOrigin);
      if (message.lost) log.lost.push(message.lost);
    });
    connected.push(
      new Promise((resolve, reject) => {
        client.on('message', (message) => {
          if (message.connected) resolve();
          if (message.error) reject(new Error(`${client.name}: ${message.error}`));
        });
        client.once('exit', (code) =>
          reject(new Error(`${client.name} exited (${code}):\n${client.output}`)),
        );
      }),
    );
    const sockets = [];
    for (let index = first; index < Math.min(count, first + perClient); index++)
      sockets.push({ index, url: urls[index % urls.length] });
    client.send({ open: { sockets, options } });
  }
  const close = () => Promise.all(clients.map((client) => stopChild(client)));
  try {
    await Promise.all(connected);
  } catch (error) {
    await close();
    throw error;
  }
  return { log, clients, close };
}

/** POSTs `count` submissions at the paced rate, to each instance in turn. */
async function stream(targets, count) {
  const posts = [];
  await paced(REALTIME.rate, count, async (i) => {
    const instance = i % targets.length;
    const sentAt = performance.now();
    const response = await fetch(targets[instance], {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: uniqueSubmission(),
    });
    const ackAt = performance.now();
    const json = await response.json().catch(() => null);
    if (response.status !== 201 || typeof json?.id !== 'string')
      throw new Error(`realtime stream: ${response.status} ${JSON.stringify(json)}`);
    posts[i] = { id: json.id, instance, sentAt, ackAt };
  });
  return posts;
}

/**
 * Waits (bounded) until every socket has every post's events, then checks it: a socket that
 * lost its connection, or missed or doubled an event, fails the run.
 */
async function awaitFanOut({ log, clients }, posts, types, group) {
  const received = (type) =>
    posts.reduce((sum, post) => sum + (log.arrivals.get(`${type} ${post.id}`)?.received ?? 0), 0);
  const expected = posts.length * REALTIME.sockets;
  const deadline = performance.now() + REALTIME.timeoutMs;
  while (types.some((type) => received(type) < expected) && log.lost.length === 0) {
    assertRunning([...group, ...clients]);
    if (performance.now() > deadline) break;
    await sleep(50);
  }
  const verified = Object.fromEntries(
    types.map((type) => [
      type,
      { events: posts.length, sockets: REALTIME.sockets, expected, received: received(type) },
    ]),
  );
  const problems = [
    ...log.lost.slice(0, 3).map((lost) => `lost ${lost}`),
    ...types
      .filter((type) => verified[type].received < expected)
      .map((type) => `${type}: ${verified[type].received} of ${expected} deliveries`),
    ...Object.entries(log.duplicates).map(([type, n]) => `${type}: ${n} duplicate deliveries`),
  ];
  if (problems.length > 0) throw new Error(`realtime fan-out: ${problems.join('; ')}`);
  return verified;
}

function summary(values) {
  values.sort((a, b) => a - b);
  return {
    p50_ms: ms(percentile(values, 50)),
    p90_ms: ms(percentile(values, 90)),
    p99_ms: ms(percentile(values, 99)),
    max_ms: ms(values[values.length - 1]),
    min_ms: ms(values[0]),
  };
}

/**
 * From each 201 arriving at the bench to the event arriving at each socket (one clock, the
 * bench process's): over every delivery; for the last socket of each event; and split by
 * whether the socket sits on the instance that answered the POST.
 */
function latency(log, posts, type) {
  const all = [];
  const sameInstance = [];
  const otherInstance = [];
  const lastSocket = [];
  for (const post of posts) {
    const { at } = log.arrivals.get(`${type} ${post.id}`);
    let last = -Infinity;
    at.forEach((arrival, index) => {
      const value = arrival - post.ackAt;
      all.push(value);
      (index % REALTIME.instances === post.instance ? sameInstance : otherInstance).push(value);
      last = Math.max(last, value);
    });
    lastSocket.push(last);
  }
  return {
    deliveries: all.length,
    ...summary(all),
    last_socket: summary(lastSocket),
    same_instance: summary(sameInstance),
    other_instance: summary(otherInstance),
  };
}

/**
 * Servers up, sockets connected, then for each of `streams` ({name: {targets, types}}) a
 * warm-up stream and the measured one, each followed by the fan-out check. Always stops
 * its servers.
 */
async function measure({ start, socketOptions, streams }) {
  const { urls, group } = await start();
  try {
    const dashboards = await openDashboards(urls, socketOptions(urls), REALTIME.sockets);
    try {
      const results = {};
      for (const [name, { targets, types }] of Object.entries(streams)) {
        const warmup = await stream(targets(urls), REALTIME.rate * REALTIME.warmupSeconds);
        const warmupVerified = await awaitFanOut(dashboards, warmup, types, group);
        const posts = await stream(targets(urls), REALTIME.rate * REALTIME.seconds);
        const verified = await awaitFanOut(dashboards, posts, types, group);
        const figures = {
          post_to_201: summary(posts.map((post) => post.ackAt - post.sentAt)),
        };
        for (const type of types) figures[type] = latency(dashboards.log, posts, type);
        results[name] = { figures, verified: { warmup: warmupVerified, measured: verified } };
      }
      return results;
    } finally {
      await dashboards.close();
    }
  } finally {
    await Promise.all(group.map((child) => stopChild(child)));
  }
}

/**
 * `apiEnv` / `workerEnv`: the environment of the bench's api and workers (same database
 * schema and SECRET_KEY, so the seeded session opens on the new instances); `namespace`
 * makes the Redis key prefix, so a concurrent test run or bench on the same Redis is apart.
 */
async function realtimeBench({ appUrl, seeded, apiEnv, workerEnv, namespace }) {
  const redis = await connectRedis(REALTIME.redisUrl);
  const prefix = `${namespace}:`;
  const redisEnv = { REDIS_URL: REALTIME.redisUrl, REDIS_KEY_PREFIX: prefix };
  try {
    const apiKey = await createApiKey(appUrl, seeded, 'bench realtime key', ['forms:write']);
    const form = await createForm(appUrl, apiKey, 'bench-realtime');
    const { intake } = await measure({
      start: async () => {
        const started = await startInstances(
          REALTIME.instances,
          'intake api (realtime)',
          'dist/apps/api/src/main.js',
          (port, urls) => ({
            ...apiEnv,
            ...redisEnv,
            PORT: String(port),
            // Behind a load balancer every instance answers for one public URL, the only
            // origin a dashboard socket may come from.
            PUBLIC_URL: urls[0],
            MIGRATE_ON_BOOT: 'false',
          }),
        );
        for (let i = 0; i < REALTIME.workers; i++)
          started.group.push(
            startChild(`worker ${i + 1} (realtime)`, ['dist/apps/worker/src/main.js'], {
              ...workerEnv,
              ...redisEnv,
            }),
          );
        return started;
      },
      socketOptions: (urls) => ({
        extraHeaders: { origin: urls[0], cookie: seeded.sessionCookie },
      }),
      streams: {
        intake: {
          targets: (urls) => urls.map((url) => `${url}${form.path}`),
          types: REALTIME.workers > 0 ? [CREATED, PROCESSED] : [CREATED],
        },
      },
    });
    const owner = 'bench';
    const baseline = await measure({
      start: () =>
        startInstances(
          REALTIME.instances,
          'realtime baseline',
          'bench/realtime-baseline-server.js',
          (port) => ({
            PORT: String(port),
            REDIS_URL: REALTIME.redisUrl,
            SOCKET_IO_KEY: `${prefix}baseline.socket.io`,
          }),
        ),
      socketOptions: () => ({ auth: { owner } }),
      streams: {
        server: {
          targets: (urls) => urls.map((url) => `${url}/ingest/${owner}`),
          types: [CREATED],
        },
        emitter: {
          targets: (urls) => urls.map((url) => `${url}/ingest-via-emitter/${owner}`),
          types: [CREATED],
        },
      },
    });
    return { intake, baseline: baseline.server, baselineEmitter: baseline.emitter };
  } finally {
    await deleteKeys(redis, prefix).catch(() => undefined);
    redis.disconnect();
  }
}

/** realtime.json (the run's `context` + the figures) and the line printed for it. */
function realtimeReport({ intake, baseline, baselineEmitter }, context) {
  const created = intake.figures[CREATED];
  const processed = intake.figures[PROCESSED];
  // Medians near zero, or below (an event may beat the 201), make a quotient of p50s
  // meaningless: the ratio is on p99, and the added milliseconds are given too.
  const against = (floor) => ({
    ratio: ratio(floor.p99_ms, created.p99_ms),
    added_ms: {
      p50: ms(created.p50_ms - floor.p50_ms),
      p99: ms(created.p99_ms - floor.p99_ms),
    },
  });
  const result = {
    benchmark:
      'live dashboard events: from the 201 of the public ingest POST to submission.created (and ' +
      'submission.processed, from a worker) at every dashboard socket of the owner, with the api ' +
      'as 2 instances on one Redis',
    ...context,
    load: {
      api_instances: REALTIME.instances,
      sockets: REALTIME.sockets,
      socket_processes: REALTIME.clients,
      workers: REALTIME.workers,
      stream: `${REALTIME.rate}/s for ${REALTIME.seconds} s, after ${REALTIME.warmupSeconds} s of warm-up`,
      posts: REALTIME.rate * REALTIME.seconds,
      tool: `socket.io-client ${require('socket.io-client/package.json').version}`,
    },
    intake: intake.figures,
    baseline: baseline.figures,
    ...against(baseline.figures[CREATED]),
    baseline_emitter: {
      about:
        'the same servers publishing through @socket.io/redis-emitter, as Intake does: every ' +
        'socket hears the event through Redis, and the 201 is not held up by local socket writes',
      ...baselineEmitter.figures,
      ...against(baselineEmitter.figures[CREATED]),
    },
    verified: {
      intake: intake.verified,
      baseline: baseline.verified,
      baseline_emitter: baselineEmitter.verified,
    },
  };
  const deliveries = Object.values(intake.verified.measured)
    .map((check) => check.received)
    .reduce((a, b) => a + b, 0);
  const floor = baseline.figures[CREATED];
  const emitterFloor = baselineEmitter.figures[CREATED];
  const line =
    `realtime (${REALTIME.instances} api instances, ${REALTIME.sockets} sockets, ${REALTIME.rate}/s): ` +
    `201 to ${CREATED} p50 ${created.p50_ms} / p99 ${created.p99_ms} ms vs baseline ` +
    `${floor.p50_ms} / ${floor.p99_ms} ms (ratio ${result.ratio}), through the emitter ` +
    `${emitterFloor.p50_ms} / ${emitterFloor.p99_ms} ms (ratio ${result.baseline_emitter.ratio})` +
    (processed ? `; to ${PROCESSED} p50 ${processed.p50_ms} / p99 ${processed.p99_ms} ms` : '') +
    `; fan-out 100% (${rps(deliveries)} deliveries, none missing)`;
  return { result, line };
}

module.exports = { realtimeBench, realtimeReport };
