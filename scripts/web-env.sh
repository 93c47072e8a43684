# Sourced by the scripts/*-web.sh and browser-*.sh scripts: the paths the browser toolchain
# lives in. Trunk finds wasm-opt on PATH; wasm-bindgen-test-runner finds chromedriver through
# CHROMEDRIVER.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Trunk prints long backtraces on ordinary errors with this set; they hide the error.
unset RUST_BACKTRACE
