#!/usr/bin/env bash
# Runs the cargo-fuzz targets under fuzz/ on the nightly toolchain.
#
#   bash scripts/fuzz.sh --quick          every target briefly (the test command does this)
#   bash scripts/fuzz.sh [RUNS] [TARGET]  long runs (default 10,000,000 executions each); new
#                                         inputs are kept in fuzz/corpus/TARGET
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup toolchain list | grep -q '^nightly' || ! command -v cargo-fuzz >/dev/null; then
    echo "fuzz: skipped: no nightly toolchain or cargo-fuzz on this machine (scripts/setup.sh installs cargo-fuzz when nightly exists)"
    exit 0
fi

quick=0
runs=10000000
if [ "${1:-}" = --quick ]; then quick=1; runs=20000; shift; elif [ -n "${1:-}" ]; then runs=$1; shift; fi
targets=${1:-$(cargo +nightly fuzz list)}

for t in $targets; do
    mkdir -p "fuzz/corpus/$t"
    if [ $quick = 1 ]; then
        # A throwaway copy, so a quick run never changes the checked-in corpus.
        work=$(mktemp -d)
        cp -r "fuzz/corpus/$t/." "$work/" 2>/dev/null || true
        corpus=$work
    else
        corpus="fuzz/corpus/$t"
    fi
    echo "fuzz: $t: $runs runs"
    cargo +nightly fuzz run "$t" "$corpus" -- -runs="$runs" -max_len=8192 -rss_limit_mb=2560 -print_final_stats=1 2>&1 | tail -n 12
    [ $quick = 1 ] && rm -rf "$work"
done
