#!/usr/bin/env bash
# Benchmarks of the engine and the server, side by side with their peers, in one run.
#
#   bash scripts/bench.sh           full run (a few minutes); rewrites the engine and server
#                                   sections of BENCHMARKS.md
#   bash scripts/bench.sh --server  the server part of the full run alone (about four minutes);
#                                   rewrites only the server section
#   bash scripts/bench.sh --quick   CI run (under a minute once built; built with the
#                                   bench-quick profile, which skips LTO to build fast); prints
#                                   the report into target/bench/quick.md, leaves BENCHMARKS.md alone
#
# Engine: criterion (benches/engine.rs), commands per second and DATA MiB/s through a Session;
# the same workloads compiled to wasm and run under Node (tests/wasm_engine_bench.rs).
# Server: `smtp-trainer serve`, Postfix smtp-sink and Python aiosmtpd, each loaded by the same
# Postfix smtp-source command on loopback, the server on one CPU and smtp-source on another, at
# real-time priority where allowed; messages per second, CPU time per message and peak memory
# as medians, with ratios (scripts/bench_load.py says how, and so does its report).
# Needs postfix (smtp-source, smtp-sink) and aiosmtpd: scripts/setup.sh installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
part=all
case "${1:-}" in
    --quick) quick=1 ;;
    --server) part=server ;;
    "") ;;
    *) echo "usage: $0 [--quick | --server]" >&2; exit 2 ;;
esac

target=${CARGO_TARGET_DIR:-target}
profile=release
[ $quick = 1 ] && profile=bench-quick
cargo build --profile $profile --quiet --bin smtp-trainer
binary=$target/$profile/smtp-trainer
# Criterion's progress goes to a log: it is long and says nothing a reader needs.
mkdir -p "$target/bench"
criterion_log=$target/bench/criterion.log
criterion() {
    if ! cargo bench --profile $profile --quiet --bench engine -- "$@" >"$criterion_log" 2>&1; then
        tail -20 "$criterion_log" >&2
        return 1
    fi
}

# The engine in wasm, under Node (the wasm32 runner in .cargo/config.toml runs a test file that
# does not ask for a browser in Node). Skipped with a note where Node or the target is missing.
wasm_out=$target/bench/wasm.txt
wasm_bench() {
    rm -f "$wasm_out"
    if ! command -v node >/dev/null || ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
        echo "bench: wasm engine benchmark skipped (needs node and the wasm32 target: bash scripts/setup.sh)" >&2
        return 0
    fi
    if ! SMTP_TRAINER_BENCH_MS=$1 cargo test --profile $profile --target wasm32-unknown-unknown \
        --test wasm_engine_bench -- --nocapture >"$wasm_out" 2>&1; then
        tail -20 "$wasm_out" >&2
        return 1
    fi
    grep '^wasm-bench' "$wasm_out" >&2
}

# The full server load: the same for every server (bench_load.py gives smtp-source this command
# line whoever listens).
full_load=(--runs 5 --messages 30000 --sessions 20 --size 2000 --stream-mb 1024)
if [ $quick = 1 ]; then
    criterion --warm-up-time 0.2 --measurement-time 0.5
    wasm_bench 200
    python3 scripts/bench_load.py --binary "$binary" --target "$target" --wasm "$wasm_out" \
        --runs 1 --messages 1000 --sessions 10 --size 1000 > "$target/bench/quick.md"
    cat "$target/bench/quick.md"
elif [ $part = server ]; then
    python3 scripts/bench_load.py --binary "$binary" --part server "${full_load[@]}" --write BENCHMARKS.md
else
    criterion --warm-up-time 2 --measurement-time 5
    wasm_bench 3000
    python3 scripts/bench_load.py --binary "$binary" --target "$target" --wasm "$wasm_out" \
        "${full_load[@]}" --write BENCHMARKS.md
fi
