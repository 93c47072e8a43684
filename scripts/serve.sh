#!/usr/bin/env bash
# Builds the browser app and serves it on this machine with `smtp-trainer web` (the same server a
# training room without network uses), at http://127.0.0.1:8080 unless a port is given.
#   bash scripts/serve.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:-8080}
bash scripts/setup-web.sh
source scripts/web-env.sh
trunk build --release
cargo build --release --bin smtp-trainer
echo
echo "smtp-trainer is at http://127.0.0.1:$PORT/  (Ctrl+C stops the server)"
exec target/release/smtp-trainer web --dir dist --listen "127.0.0.1:$PORT"
