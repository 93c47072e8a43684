#!/usr/bin/env bash
# Measures the built app in dist/ (raw and gzip -9 per file, and the total) and checks the total
# against budget/web-size.toml. Prints a table; with --json FILE also writes the figures for the
# benchmark report. Exit status 1 when over budget or when dist/ is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$ROOT/dist"
BUDGET_FILE="$ROOT/budget/web-size.toml"
JSON=""
[[ "${1:-}" == "--json" ]] && JSON="${2:?--json needs a file name}"

if [[ ! -f "$DIST/index.html" ]]; then
    echo "browser-size: no build in dist/ (run trunk build --release first)" >&2
    exit 1
fi
budget="$(sed -n 's/^gzip_bytes *= *\([0-9][0-9]*\).*/\1/p' "$BUDGET_FILE")"
if [[ -z "$budget" ]]; then
    echo "browser-size: no gzip_bytes in $BUDGET_FILE" >&2
    exit 1
fi

total_raw=0
total_gz=0
rows=""
printf '%-12s %10s %10s  %s\n' kind raw gzip file
for f in "$DIST"/*; do
    [[ -f "$f" ]] || continue
    name="$(basename "$f")"
    case "$name" in
        *.wasm) kind=wasm ;; *.js) kind=js ;; *.css) kind=css ;; *.html) kind=html ;; *) kind=other ;;
    esac
    raw=$(wc -c <"$f")
    gz=$(gzip -9 -n -c "$f" | wc -c)
    total_raw=$((total_raw + raw))
    total_gz=$((total_gz + gz))
    printf '%-12s %10d %10d  %s\n' "$kind" "$raw" "$gz" "$name"
    rows="$rows{\"kind\":\"$kind\",\"file\":\"$name\",\"raw\":$raw,\"gzip\":$gz},"
done
printf '%-12s %10d %10d  (budget %d)\n' total "$total_raw" "$total_gz" "$budget"

if [[ -n "$JSON" ]]; then
    printf '{"files":[%s],"total_raw":%d,"total_gzip":%d,"budget_gzip":%d}\n' \
        "${rows%,}" "$total_raw" "$total_gz" "$budget" >"$JSON"
fi
if (( total_gz > budget )); then
    echo "browser-size: FAIL: $total_gz bytes gzip is over the budget of $budget (budget/web-size.toml)" >&2
    exit 1
fi
echo "browser-size: ok, $((budget - total_gz)) bytes under budget"
