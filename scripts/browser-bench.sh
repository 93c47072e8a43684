#!/usr/bin/env bash
# The browser benchmark: builds the release app, serves it locally, measures time to first
# prompt, keystroke-to-paint latency with 10,000 lines of scrollback and the compressed sizes,
# and writes them into BENCHMARKS.md (its "Browser app" section only).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/web-env.sh"
cd "$ROOT"
PORT="${BENCH_PORT:-8766}"

scripts/setup-web.sh
trunk build --release
mkdir -p target
scripts/browser-size.sh --json target/web-size.json

python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    curl -fs "http://127.0.0.1:$PORT/index.html" >/dev/null && break
    sleep 0.1
done

node tests/e2e/bench.mjs "http://127.0.0.1:$PORT/index.html" target/web-size.json BENCHMARKS.md
