#!/usr/bin/env bash
# Runs the official MCP conformance suite's authorization-server scenarios
# (@modelcontextprotocol/conformance, `conformance authorization`) against a started Intake
# (`npm start`, embedded defaults). The suite prints an authorization URL and waits for the
# browser to come back to its callback server; the driver below plays the owner over HTTP:
# signs up, approves the consent page, and delivers the redirect. Fails if any scenario
# check fails or the suite does not report.
set -euo pipefail
cd "$(dirname "$0")/.."

CONFORMANCE_VERSION=${CONFORMANCE_VERSION:-0.2.0-alpha.12}
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port=${CONFORMANCE_PORT:-$(free_port)}
callback_port=$(free_port)
data=$(mktemp -d)
log="$data/intake.log"
base="http://127.0.0.1:$port"

DATA_DIR="$data" PORT="$port" PUBLIC_URL="$base" npm start >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "Intake exited during start"; exit 1; }
  sleep 1
done
curl -fsS "$base/readyz" >/dev/null

BASE="$base" CALLBACK_PORT="$callback_port" CONFORMANCE_VERSION="$CONFORMANCE_VERSION" \
  OUTPUT_DIR="$data/results" node --input-type=module - <<'DRIVER'
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const { BASE, CALLBACK_PORT, CONFORMANCE_VERSION, OUTPUT_DIR } = process.env;
const redirectUri = `http://127.0.0.1:${CALLBACK_PORT}/callback`;
const cookies = new Map();

/** One request from the owner's browser: cookies kept, no redirect followed. */
async function browse(url, init = {}) {
  const headers = { ...init.headers };
  if (url.startsWith(BASE) && cookies.size > 0) {
    headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const split = pair.indexOf('=');
    const value = pair.slice(split + 1);
    if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(header)) cookies.delete(pair.slice(0, split));
    else cookies.set(pair.slice(0, split), value);
  }
  return response;
}

const signup = await browse(`${BASE}/auth/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'conformance@example.com', password: 'a long conformance passphrase' }),
});
if (signup.status !== 201) throw new Error(`sign-up answered ${signup.status}`);

const registration = await fetch(`${BASE}/oauth/register`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ client_name: 'MCP conformance', redirect_uris: [redirectUri] }),
});
if (registration.status !== 201) throw new Error(`registration answered ${registration.status}`);
const { client_id: clientId } = await registration.json();

/** Follows the authorization through Intake, approves the consent page, returns the callback. */
async function authorize(url) {
  for (let hop = 0; hop < 20; hop += 1) {
    if (!url.startsWith(`${BASE}/`)) return url;
    const response = await browse(url);
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url).href;
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+\/consent)">/.exec(html)?.[1];
    if (!action) throw new Error(`no consent form (${response.status}): ${html}`);
    const body = new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(html)[1] });
    for (const [, scope] of html.matchAll(/name="scope" value="([^"]+)"/g)) body.append('scope', scope);
    const approved = await browse(new URL(action, BASE).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    url = new URL(approved.headers.get('location'), url).href;
  }
  throw new Error('too many redirects');
}

const suite = spawn(
  'npx',
  ['-y', '-p', 'node@22', '-p', `@modelcontextprotocol/conformance@${CONFORMANCE_VERSION}`,
   'conformance', 'authorization', '--url', BASE, '--client-id', clientId,
   '--resource', `${BASE}/mcp`, '--port', CALLBACK_PORT, '-o', OUTPUT_DIR],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let summary;
createInterface({ input: suite.stdout }).on('line', (line) => {
  console.log(`[conformance] ${line}`);
  summary = /Total: (\d+) passed, (\d+) failed/.exec(line) ?? summary;
  if (!line.startsWith(`${BASE}/oauth/authorize?`)) return;
  (async () => {
    const callback = await authorize(line.trim());
    // The suite starts its callback server right after printing the URL: retry briefly.
    for (let attempt = 0; ; attempt += 1) {
      const delivered = await fetch(callback).then((r) => r.status, () => null);
      if (delivered !== null) return console.log(`[driver] callback delivered (${delivered})`);
      if (attempt > 50) throw new Error('the callback server never answered');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })().catch((error) => {
    console.error('[driver]', error);
    suite.kill();
  });
});
const code = await new Promise((resolve) => suite.on('exit', (status) => resolve(status ?? 1)));
if (!summary) throw new Error(`the suite reported no summary (exit ${code})`);
const [, passed, failed] = summary.map(Number);
if (code !== 0 || failed > 0 || passed === 0) {
  console.error(`conformance: ${passed} passed, ${failed} failed, exit ${code}`);
  process.exit(1);
}
console.log(`conformance: all ${passed} checks passed`);
DRIVER

if grep -q '"level":50' "$log"; then cat "$log"; echo "errors logged"; exit 1; fi
echo "MCP authorization conformance passed"
