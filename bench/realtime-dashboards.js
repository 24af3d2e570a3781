#!/usr/bin/env node
// A share of the realtime benchmark's dashboard sockets, in a process of its own so that
// receiving 200 copies of every event does not hold up the bench process, which notes when
// each 201 arrives. Started by bench/realtime.js with an IPC channel; SIGTERM closes it:
//
//   in:  {open: {sockets: [{index, url}], options}}
//   out: {connected: true} | {error}, then batches {arrivals: [[index, type, subject id, at]]}
//        and {lost: "socket <index>: <reason>"}
//
// `at` is `performance.timeOrigin + performance.now()`: one high-resolution clock for every
// process of the machine (started from the same system time), so the bench can subtract
// its own 201 times from it.
'use strict';
const { performance } = require('node:perf_hooks');
const { setInterval } = require('node:timers');
const { io } = require('socket.io-client');

// Sockets opened at once: each handshake of the api is a session lookup in the database.
const CONNECT_BATCH = 10;
// Arrivals go to the bench in batches; their times are taken here, so batching costs nothing.
const FLUSH_MS = 20;

const sockets = [];
let pending = [];
let closing = false;

function connect({ index, url }, options) {
  const socket = io(url, {
    ...options,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  socket.onAny((type, message) =>
    pending.push([index, type, message?.subject_id, performance.timeOrigin + performance.now()]),
  );
  socket.on('disconnect', (reason) => {
    if (!closing) process.send({ lost: `socket ${index}: ${reason}` });
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (error) =>
      reject(new Error(`socket ${index} to ${url}: ${error.message}`)),
    );
  });
}

async function open({ sockets: wanted, options }) {
  for (let first = 0; first < wanted.length; first += CONNECT_BATCH)
    await Promise.all(wanted.slice(first, first + CONNECT_BATCH).map((s) => connect(s, options)));
  setInterval(() => {
    if (pending.length === 0) return;
    process.send({ arrivals: pending });
    pending = [];
  }, FLUSH_MS);
}

function close() {
  closing = true;
  for (const socket of sockets) socket.close();
  process.exit(0);
}

process.on('message', (message) => {
  open(message.open).then(
    () => process.send({ connected: true }),
    (error) => process.send({ error: error.message }),
  );
});
// The bench is gone (crashed or killed): nobody is listening any more.
process.on('disconnect', close);
process.on('SIGTERM', close);
