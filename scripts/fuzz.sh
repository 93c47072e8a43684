#!/usr/bin/env bash
# Runs the cargo-fuzz targets under fuzz/ on the nightly toolchain.
#
#   bash scripts/fuzz.sh --quick          every target briefly, with AddressSanitizer (the test
#                                         command does this; the corpus is not changed): the
#                                         checked-in corpus is replayed, then new inputs are tried
#                                         for 20,000 executions or 45 seconds, whichever comes first
#   bash scripts/fuzz.sh [RUNS] [TARGET]  long runs (default 10,000,000 executions each), without
#                                         a sanitizer: the crate forbids `unsafe`, and ASan would
#                                         cost five times the speed. Afterwards fuzz/corpus/TARGET
#                                         is replaced by the smallest set of inputs (old and new)
#                                         that keeps all the coverage; each run's libFuzzer
#                                         figures are kept in target/fuzz-long/TARGET.log.
#
# smtp_grammar and workstation_keys map every input byte onto whole SMTP tokens or keystroke
# words, so the keywords a comparison trace would help the fuzzer guess are already in their
# alphabet: their long runs are built with --no-trace-compares, which more than doubles their
# speed. The raw-byte and file targets keep the comparison trace.
#
# The whole script is one function, read before it starts, so editing this file while a long
# run is under way cannot change the run.
set -euo pipefail
main() {
cd "$(dirname "$0")/.."

if ! rustup toolchain list | grep -q '^nightly' || ! command -v cargo-fuzz >/dev/null; then
    echo "fuzz: skipped: no nightly toolchain or cargo-fuzz on this machine (scripts/setup.sh installs cargo-fuzz when nightly exists)"
    exit 0
fi

quick=0
runs=10000000
if [ "${1:-}" = --quick ]; then quick=1; runs=20000; shift; elif [ -n "${1:-}" ]; then runs=$1; shift; fi
targets=${1:-$(cargo +nightly fuzz list)}
opts=(-max_len=8192 -rss_limit_mb=2560 -print_final_stats=1)
# Their own target directory, so a run of each kind can go on at the same time.
local notrace="--no-trace-compares --target-dir fuzz/target/no-trace-compares"
declare -A build_flags=([smtp_grammar]=$notrace [workstation_keys]=$notrace)

for t in $targets; do
    mkdir -p "fuzz/corpus/$t"
    # A working copy of the corpus, so a run never floods the checked-in one.
    work=$(mktemp -d)
    cp -r "fuzz/corpus/$t/." "$work/" 2>/dev/null || true
    echo "fuzz: $t: $runs runs"
    if [ $quick = 1 ]; then
        # The time cap keeps the slow targets (whole keystroke sessions under ASan run at a few
        # dozen inputs a second) from dominating the test command.
        cargo +nightly fuzz run "$t" "$work" -- -runs="$runs" -max_total_time=45 "${opts[@]}" 2>&1 | tail -n 12
    else
        mkdir -p target/fuzz-long
        log="target/fuzz-long/$t.log"
        start=$(date +%s)
        # shellcheck disable=SC2086 # the flags are single words or empty
        cargo +nightly fuzz run -s none ${build_flags[$t]:-} "$t" "$work" -- -runs="$runs" "${opts[@]}" >"$log" 2>&1 || {
            tail -n 40 "$log"
            echo "fuzz: $t FAILED (log: $log)"
            exit 1
        }
        echo "wall_seconds: $(($(date +%s) - start))" >>"$log"
        grep -E '^(stat::|wall_seconds)' "$log"
        # The checked-in corpus becomes the smallest set covering everything either one reached.
        minimal=$(mktemp -d)
        # shellcheck disable=SC2086
        cargo +nightly fuzz run -s none ${build_flags[$t]:-} "$t" "$minimal" "fuzz/corpus/$t" "$work" -- -set_cover_merge=1 "${opts[@]}" >/dev/null 2>&1
        rm -rf "fuzz/corpus/$t" && mv "$minimal" "fuzz/corpus/$t"
    fi
    rm -rf "$work"
done
}
main "$@"
