#!/usr/bin/env bash
# The browser benchmark: builds the release app, serves it locally, measures time to first
# prompt, keystroke-to-paint latency with 10,000 lines of scrollback, a 10 MB paste (time, memory,
# responsiveness) and the compressed sizes, and writes them into BENCHMARKS.md (its "Browser app"
# section only).
#   --quick   a short run for CI (3 loads, 1,000 lines, a 1 MB paste): the report goes to
#             target/browser-bench-quick.md, BENCHMARKS.md is left alone; still fails if the
#             paste is not delivered or the page stops answering.
set -euo pipefail
quick=()
report=BENCHMARKS.md
for arg in "$@"; do
    case "$arg" in
        --quick) quick=(--quick); report=target/browser-bench-quick.md ;;
        *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
    esac
done
source "$(dirname "${BASH_SOURCE[0]}")/web-env.sh"
cd "$ROOT"
# A free port unless told: several runs may share this machine.
PORT="${BENCH_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"

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

node tests/e2e/bench.mjs "http://127.0.0.1:$PORT/index.html" target/web-size.json "$report" "${quick[@]}"
