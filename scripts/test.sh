#!/usr/bin/env bash
# The whole test suite, in layers, from a fresh machine: installs what it needs (idempotently),
# then checks format and lints, proves the core builds for wasm32, runs the unit, golden,
# property and real-socket tests, short fuzz runs, a quick benchmark, and the browser suite
# (wasm-bindgen tests and Playwright in headless Chromium).
#
#   bash scripts/test.sh            everything
#   bash scripts/test.sh native     everything but the browser suite
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
failed=()
started=$(date +%s)

step() {
    local name=$1; shift
    local t0; t0=$(date +%s)
    printf '\n\033[1m==> %s\033[0m\n' "$name"
    if "$@"; then
        printf '\033[1m<== %s: ok (%ss)\033[0m\n' "$name" $(( $(date +%s) - t0 ))
    else
        printf '\033[1;31m<== %s: FAILED (%ss)\033[0m\n' "$name" $(( $(date +%s) - t0 ))
        failed+=("$name")
    fi
}

if [ "$what" = native ]; then bash scripts/setup.sh native; else bash scripts/setup.sh; fi

step "format" cargo fmt --check
step "lint (native)" cargo clippy --all-targets -- -D warnings
step "lint (wasm)" cargo clippy --lib --bins --target wasm32-unknown-unknown -- -D warnings
step "the core builds for wasm32" cargo build --lib --target wasm32-unknown-unknown
step "unit, golden, property and socket tests" cargo test --all-targets
step "doc tests" cargo test --doc
[ -f scripts/fuzz.sh ] && step "fuzz (short runs)" bash scripts/fuzz.sh --quick
[ -f scripts/bench.sh ] && step "benchmarks (quick)" bash scripts/bench.sh --quick
if [ "$what" != native ] && [ -f scripts/test-web.sh ]; then
    step "browser (Trunk build, size budget, wasm-bindgen tests, Playwright)" bash scripts/test-web.sh
    step "browser benchmark (quick)" bash scripts/browser-bench.sh --quick
fi

echo
echo "total: $(( $(date +%s) - started ))s"
if [ ${#failed[@]} -gt 0 ]; then
    printf '\033[1;31mFAILED:\033[0m %s\n' "${failed[@]}"
    exit 1
fi
echo "all tests passed"
