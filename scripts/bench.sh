#!/usr/bin/env bash
# Benchmarks of the engine and the server, side by side with their peers, in one run.
#
#   bash scripts/bench.sh           full run (a few minutes); rewrites the engine and server
#                                   section of BENCHMARKS.md
#   bash scripts/bench.sh --quick   CI run (well under a minute once built); prints the report
#                                   into target/bench/quick.md, leaves BENCHMARKS.md alone
#
# Engine: criterion (benches/engine.rs), commands per second and DATA MiB/s through a Session.
# Server: `smtp-trainer serve`, Postfix smtp-sink and Python aiosmtpd, each loaded by Postfix
# smtp-source on loopback; messages per second and peak memory as medians, with ratios.
# Needs postfix (smtp-source, smtp-sink) and aiosmtpd: scripts/setup.sh installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
case "${1:-}" in
    --quick) quick=1 ;;
    "") ;;
    *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac

target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet --bin smtp-trainer
binary=$target/release/smtp-trainer

if [ $quick = 1 ]; then
    cargo bench --quiet --bench engine -- --warm-up-time 0.2 --measurement-time 0.5 >/dev/null
    mkdir -p "$target/bench"
    python3 scripts/bench_load.py --binary "$binary" --target "$target" \
        --runs 1 --messages 1000 --sessions 10 --size 1000 > "$target/bench/quick.md"
    cat "$target/bench/quick.md"
else
    cargo bench --quiet --bench engine -- --warm-up-time 2 --measurement-time 5 >/dev/null
    python3 scripts/bench_load.py --binary "$binary" --target "$target" \
        --runs 5 --messages 20000 --sessions 20 --size 2000 --stream-mb 1024 --write BENCHMARKS.md
fi
