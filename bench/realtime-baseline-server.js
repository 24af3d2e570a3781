#!/usr/bin/env node
// The floor of the realtime benchmark: bare node:http + socket.io with
// @socket.io/redis-adapter, none of Intake (no Nest, no session or origin check, no
// database). bench/realtime.js starts two of them on one Redis, with the sockets spread
// across both, and POSTs to each in turn. Not meant to be exposed anywhere.
//
// Env: PORT, REDIS_URL, SOCKET_IO_KEY (the adapter's Redis channel prefix).
// Socket: joins the room `owner:<handshake auth.owner>`.
// Routes: GET /readyz; POST /ingest/<owner> with a JSON body: emits `submission.created`
// (ids only, as Intake's OwnerEvents) to that owner's room with the server
// (`io.to(room).emit`: this instance's sockets at once, the other's through Redis), then
// answers 201 {id}. POST /ingest-via-emitter/<owner>: the same through
// @socket.io/redis-emitter, Intake's way: every instance's sockets through Redis.
'use strict';
const { createAdapter } = require('@socket.io/redis-adapter');
const { Emitter } = require('@socket.io/redis-emitter');
const { randomUUID } = require('node:crypto');
const http = require('node:http');
const Redis = require('ioredis');
const { Server } = require('socket.io');

const publisher = new Redis(process.env.REDIS_URL);
// A subscribed connection can do nothing else, hence a second one.
const subscriber = publisher.duplicate();

function send(response, status, body) {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  response.end(json);
}

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/readyz')
    return send(response, publisher.status === 'ready' ? 200 : 503, {});
  const [, route, owner] =
    /^\/(ingest|ingest-via-emitter)\/([\w-]+)$/.exec(request.url ?? '') ?? [];
  if (request.method !== 'POST' || !owner) return send(response, 404, { error: 'not found' });
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(response, 400, { error: 'invalid JSON' });
    }
    const id = randomUUID();
    (route === 'ingest' ? io : emitter).to(`owner:${owner}`).emit('submission.created', {
      type: 'submission.created',
      form_id: null,
      subject_id: id,
      at: new Date().toISOString(),
    });
    send(response, 201, { id });
  });
});

const io = new Server(server, {
  serveClient: false,
  adapter: createAdapter(publisher, subscriber, { key: process.env.SOCKET_IO_KEY }),
});
const emitter = new Emitter(publisher, { key: process.env.SOCKET_IO_KEY });
io.on('connection', (socket) => socket.join(`owner:${socket.handshake.auth.owner}`));

server.listen(Number(process.env.PORT), '127.0.0.1');

process.on('SIGTERM', () => {
  io.close();
  Promise.allSettled([publisher.quit(), subscriber.quit()]).finally(() => process.exit(0));
});
