#!/usr/bin/env bash
# Builds the browser app and serves it on this machine, for trying it or teaching offline.
# Usage: scripts/serve-web.sh [PORT]   (default 8080; listens on 127.0.0.1 only)
# Set DEV=1 for a faster debug build without wasm-opt.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/web-env.sh"
cd "$ROOT"
PORT="${1:-8080}"

scripts/setup-web.sh
if [[ "${DEV:-0}" == 1 ]]; then trunk build; else trunk build --release; fi
echo
echo "smtp-trainer is at http://127.0.0.1:$PORT/  (Ctrl+C stops the server)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
