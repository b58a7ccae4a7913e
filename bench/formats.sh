#!/usr/bin/env bash
# The same product feed as CSV, NDJSON and XLSX through `ingest run products`: rows/s and peak RSS.
#
# usage: bench/formats.sh [ROWS]   (default 1000000; the NDJSON and XLSX copies are made once)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
base="bench/data/products-${rows}"
mkdir -p bench/data
[ -s "$base.csv" ] || python3 bench/gen_products.py "$rows" "$base.csv"
[ -s "$base.ndjson" ] || python3 bench/convert.py "$base.csv" "$base.ndjson"
if [ ! -s "$base.xlsx" ]; then
  python3 -c "import openpyxl" 2>/dev/null || pip install -q openpyxl
  python3 bench/convert.py "$base.csv" "$base.xlsx"
fi
swift build -c release --product ingest >/dev/null 2>&1
bin="$(swift build -c release --show-bin-path)/ingest"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '%-8s %10s %10s %12s %10s\n' format "size MB" "wall s" "rows/s" "RSS MiB"
for ext in csv ndjson xlsx; do
  rm -f "$work"/db*
  start=$(date +%s.%N)
  /usr/bin/time -v "$bin" run products "$base.$ext" --database "$work/db.sqlite" --importers importers >/dev/null 2>"$work/time.log" || true
  end=$(date +%s.%N)
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.log")
  size=$(stat -L -c %s "$base.$ext")
  wall=$(echo "$end - $start" | bc -l)
  printf '%-8s %10.1f %10.2f %12.0f %10.1f\n' "$ext" "$(echo "$size / 1048576" | bc -l)" "$wall" "$(echo "$rows / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
done
