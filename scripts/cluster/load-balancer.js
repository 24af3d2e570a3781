// The load balancer of `npm run start:cluster`: what deploy/nginx.conf does for
// docker-compose.yml, as a small node:http proxy. Hand-written because no proxy library is
// installed (http-proxy and its forks are not dependencies, and this script adds none), and
// what it needs is short: round-robin with passive failure detection, a retry for requests
// that never reached an instance, socket.io pinned by client address, WebSocket upgrades,
// bounded timeouts, and the X-Forwarded-* and X-Request-Id headers nginx sets.
'use strict';
const { createHash, randomUUID } = require('node:crypto');
const http = require('node:http');

// As deploy/nginx.conf's proxy_connect_timeout and proxy_read_timeout (the api itself ends
// requests after 30 s).
const CONNECT_TIMEOUT_MS = 5_000;
const READ_TIMEOUT_MS = 35_000;
/** How long an instance that refused a connection is skipped (nginx: fail_timeout). */
const FAIL_TIMEOUT_MS = 5_000;

/** RFC 9110 §7.6.1: meaningful for one hop only, never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
/** Safe to send to a second instance after the first failed mid-request (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

function withoutHopByHop(headers) {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase());
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.includes(name)),
  );
}

/** The API.md error shape, so clients handle a failed instance like any 5xx of Intake. */
function errorBody(message, requestId) {
  return JSON.stringify({ error: { code: 'unavailable', message, request_id: requestId } });
}

function hasBody(req) {
  return (
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0
  );
}

class LoadBalancer {
  /**
   * @param {{ name: string, port: number }[]} instances api instances on 127.0.0.1
   * @param {import('pino').Logger} logger
   * @param {{ headersTimeoutMs: number, requestTimeoutMs: number, keepAliveTimeoutMs: number }}
   *   timeouts towards clients, against slow or idle ones (the api's own, by default)
   */
  constructor(instances, logger, timeouts) {
    this.logger = logger;
    this.backends = instances.map(({ name, port }) => ({
      name,
      port,
      available: false,
      failedUntil: 0,
      /** Proxied HTTP requests not yet answered (WebSocket tunnels not counted). */
      inFlight: 0,
    }));
    this.turn = 0;
    this.closing = false;
    /** Upgraded (WebSocket) client sockets: the server no longer tracks them. */
    this.tunnels = new Set();
    // keep-alive off upstream: every proxied request opens its own loopback connection, so
    // a request is never written to a socket the instance is closing at that moment (the
    // race nginx avoids by keeping its keepalive_timeout under the api's).
    this.agent = new http.Agent({ keepAlive: false });
    this.server = http.createServer(
      {
        headersTimeout: timeouts.headersTimeoutMs,
        requestTimeout: timeouts.requestTimeoutMs,
        connectionsCheckingInterval: 1_000,
      },
      (req, res) => this.forward(req, res),
    );
    this.server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  listen(port, host) {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve(this.server.address().port));
    });
  }

  /** The supervisor's view: started and answering, or stopped (or being stopped). */
  setAvailable(name, available) {
    const backend = this.backends.find((candidate) => candidate.name === name);
    backend.available = available;
    backend.failedUntil = 0;
  }

  /**
   * Resolves once every request proxied to `name` has been answered (or `timeoutMs` has
   * passed). Stopping an instance only then matters: a connection it has not accepted yet
   * (its event loop lags under load) would be reset when it closes its listening socket.
   */
  async whenIdle(name, timeoutMs) {
    const backend = this.backends.find((candidate) => candidate.name === name);
    const deadline = Date.now() + timeoutMs;
    while (backend.inFlight > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** Stops accepting connections; resolves once the open ones have ended. */
  close() {
    this.closing = true;
    const closed = new Promise((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    return closed;
  }

  /** Ends whatever is still open (after the instances are gone). */
  destroyConnections() {
    this.server.closeAllConnections();
    for (const socket of this.tunnels) socket.destroy();
  }

  /**
   * Round-robin over available instances, skipping those that just refused a connection
   * unless nothing else is left. socket.io's long-polling needs every request of a session
   * on the one instance that holds it: those are pinned by client address, as nginx's
   * `hash $remote_addr consistent` (fan-out between instances goes through Redis).
   */
  pick(req, tried) {
    const candidates = this.backends.filter((backend) => backend.available && !tried.has(backend));
    const now = Date.now();
    const healthy = candidates.filter((backend) => backend.failedUntil <= now);
    const pool = healthy.length > 0 ? healthy : candidates;
    if (pool.length === 0) return null;
    if (req.url.startsWith('/socket.io/')) {
      const hash = createHash('sha1')
        .update(req.socket.remoteAddress ?? '')
        .digest()
        .readUInt32BE(0);
      const pinned = this.backends[hash % this.backends.length];
      return pool.includes(pinned) ? pinned : pool[hash % pool.length];
    }
    this.turn = (this.turn + 1) % pool.length;
    return pool[this.turn];
  }

  forwardedHeaders(req) {
    return {
      ...withoutHopByHop(req.headers),
      // The edge: overwrite what the client claims, as nginx does (the apis run with
      // TRUST_PROXY=1, one trusted hop).
      'x-forwarded-for': req.socket.remoteAddress ?? '',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': req.headers.host ?? '',
      // Kept when the client sent one (the api validates it), else minted, so the
      // balancer's and the api's log lines share it.
      'x-request-id': req.headers['x-request-id'] ?? randomUUID(),
    };
  }

  /**
   * Opens a request to an instance, and calls `send(upstream)` only once its connection is
   * up: a connection that fails before that has sent nothing, so the request can go to the
   * next instance whatever its method (nginx: proxy_next_upstream error timeout).
   */
  open(req, tried, headers, send, onError) {
    const backend = this.pick(req, tried);
    if (!backend) return null;
    tried.add(backend);
    const upstream = http.request({
      host: '127.0.0.1',
      port: backend.port,
      method: req.method,
      path: req.url,
      headers,
      agent: this.agent,
    });
    backend.inFlight += 1;
    upstream.once('close', () => (backend.inFlight -= 1));
    let connected = false;
    const connectTimer = setTimeout(
      () => upstream.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })),
      CONNECT_TIMEOUT_MS,
    );
    upstream.on('socket', (socket) => {
      const ready = () => {
        connected = true;
        clearTimeout(connectTimer);
        backend.failedUntil = 0;
        upstream.setTimeout(READ_TIMEOUT_MS, () =>
          upstream.destroy(Object.assign(new Error('read timeout'), { code: 'ETIMEDOUT' })),
        );
        send(upstream);
      };
      if (socket.connecting) socket.once('connect', ready);
      else ready();
    });
    upstream.on('error', (error) => {
      clearTimeout(connectTimer);
      if (!connected) {
        backend.failedUntil = Date.now() + FAIL_TIMEOUT_MS;
        this.logger.warn(
          { event: 'connect-failed', instance: backend.name, error: error.message },
          `${backend.name} refused a connection; trying another instance`,
        );
      }
      onError(error, connected, backend);
    });
    return upstream;
  }

  forward(req, res) {
    const headers = this.forwardedHeaders(req);
    const requestId = headers['x-request-id'];
    // While closing, tell keep-alive clients to reconnect (to the next cluster, or a retry).
    if (this.closing) res.shouldKeepAlive = false;
    const fail = (status, message) => {
      if (res.headersSent) return res.destroy();
      res
        .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
        .end(errorBody(message, requestId));
    };
    const tried = new Set();
    let clientGone = false;
    let upstream = null;
    res.on('close', () => {
      clientGone = !res.writableFinished;
      if (clientGone) upstream?.destroy();
    });
    const attempt = () => {
      upstream = this.open(req, tried, headers, send, onError);
      if (!upstream) fail(503, 'No Intake instance is reachable; retry shortly');
    };
    const send = (request) => {
      request.on('response', (response) => {
        res.writeHead(
          response.statusCode,
          response.statusMessage,
          withoutHopByHop(response.headers),
        );
        response.pipe(res);
        // The instance died mid-response: end the client's connection the same way.
        response.on('aborted', () => res.destroy());
      });
      if (hasBody(req)) req.pipe(request);
      else request.end();
    };
    const onError = (error, connected, backend) => {
      if (clientGone) return;
      if (connected)
        this.logger.warn(
          { event: 'request-failed', instance: backend.name, error: error.message },
          `${backend.name} failed during ${req.method} ${req.url.split('?', 1)[0]}`,
        );
      if (res.headersSent) return res.destroy();
      // Never reached the instance, or safe to repeat: try the next one.
      if (!connected || (IDEMPOTENT.has(req.method) && !hasBody(req))) return attempt();
      fail(
        error.code === 'ETIMEDOUT' ? 504 : 502,
        'The Intake instance failed during this request, which may or may not have taken effect',
      );
    };
    attempt();
  }

  /** WebSocket (socket.io) handshakes: proxied, then the two sockets are joined. */
  upgrade(req, socket, head) {
    const headers = {
      ...this.forwardedHeaders(req),
      connection: 'Upgrade',
      upgrade: req.headers.upgrade ?? 'websocket',
    };
    const refuse = (status) =>
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n\r\n`);
    const tried = new Set();
    let upstream = null;
    socket.on('error', () => upstream?.destroy());
    const send = (request) => {
      request.on('upgrade', (response, tunnel, tunnelHead) => {
        const lines = [`HTTP/1.1 101 ${response.statusMessage}`];
        for (let i = 0; i < response.rawHeaders.length; i += 2)
          lines.push(`${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}`);
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (tunnelHead.length > 0) socket.write(tunnelHead);
        if (head.length > 0) tunnel.write(head);
        this.tunnels.add(socket);
        socket.once('close', () => {
          this.tunnels.delete(socket);
          tunnel.destroy();
        });
        tunnel.on('error', () => socket.destroy());
        tunnel.once('close', () => socket.destroy());
        tunnel.pipe(socket).pipe(tunnel);
      });
      // The instance refused the handshake (bad origin, no session): pass its answer on.
      request.on('response', (response) => {
        const lines = [`HTTP/1.1 ${response.statusCode} ${response.statusMessage}`];
        for (const [name, value] of Object.entries(withoutHopByHop(response.headers)))
          for (const item of [value].flat()) lines.push(`${name}: ${item}`);
        socket.write(`${lines.join('\r\n')}\r\nconnection: close\r\n\r\n`);
        response.pipe(socket);
      });
      request.end();
    };
    const onError = (_error, connected) => {
      if (!connected) return attempt();
      socket.destroy();
    };
    const attempt = () => {
      upstream = this.open(req, tried, headers, send, onError);
      if (!upstream) refuse(503);
    };
    attempt();
  }
}

module.exports = { LoadBalancer };
