#!/usr/bin/env bash
# Starts Intake as a new user would (`npm start`, embedded defaults), signs up, creates an
# API key, uses it, checks readiness, and stops it with SIGTERM expecting a clean exit.
set -euo pipefail
cd "$(dirname "$0")/.."

# A port nobody listens on, so a stray server cannot answer in this run's place.
port=${SMOKE_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
data=$(mktemp -d)
log="$data/intake.log"
jar="$data/cookies"
base="http://127.0.0.1:$port"

DATA_DIR="$data" PORT="$port" npm start >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "Intake exited during start"; exit 1; }
  sleep 1
done
curl -fsS "$base/readyz"; echo

csrf=$(curl -fsS -c "$jar" -H 'Content-Type: application/json' \
  -d '{"email":"smoke@example.com","password":"a long smoke-test passphrase"}' "$base/auth/signup" |
  node -e 'process.stdin.on("data", (d) => process.stdout.write(JSON.parse(d).csrf_token))')
secret=$(curl -fsS -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"name":"smoke","scopes":["audit:read"]}' "$base/account/api-keys" |
  node -e 'process.stdin.on("data", (d) => process.stdout.write(JSON.parse(d).secret))')
[[ "$secret" == ik_live_* ]] || { echo "no API key secret"; exit 1; }
curl -fsS -H "Authorization: Bearer $secret" "$base/api/audit-log?page_size=5" >/dev/null
echo "signed up, created an API key and used it"

if grep -q "$secret\|${secret#ik_live_}" "$log"; then echo "API key secret found in the log"; exit 1; fi
if grep -q 'smoke@example.com' "$log"; then echo "unmasked e-mail found in the log"; exit 1; fi

# npm forwards SIGTERM to the server (the start script execs node), which drains and then
# exits by the signal (143).
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
if curl -s -o /dev/null "$base/healthz"; then echo "Intake is still serving after SIGTERM"; exit 1; fi
trap 'rm -rf "$data"' EXIT
if [[ $status -ne 0 && $status -ne 143 ]]; then cat "$log"; echo "Intake exited with $status on SIGTERM"; exit 1; fi
if grep -q '"level":50' "$log"; then cat "$log"; echo "errors logged"; exit 1; fi
echo "smoke test passed"
