#!/usr/bin/env bash
# The same product feed as CSV, NDJSON and XLSX through `ingest run products`: rows/s and peak RSS.
#
# usage: bench/formats.sh [ROWS] [ROUNDS]   (default 1000000 rows, 5 rounds; the NDJSON and XLSX
#                                             copies are made once into bench/data/)
#        INGEST_BIN=path/to/ingest bench/formats.sh …   measures that binary instead of building one
# Each round imports the three files one after the other into fresh databases (alternating, so
# drift on a shared machine hits every format alike), then the script prints rows/s as
# min / median / max per format, the median peak RSS, and each format's ratio of medians to CSV
# next to its target (NDJSON >= 0.75x, XLSX >= 0.5x).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
rounds="${2:-5}"
base="bench/data/products-${rows}"
mkdir -p bench/data
[ -s "$base.csv" ] || python3 bench/gen_products.py "$rows" "$base.csv"
[ -s "$base.ndjson" ] || python3 bench/convert.py "$base.csv" "$base.ndjson"
if [ ! -s "$base.xlsx" ]; then
  python3 -c "import openpyxl" 2>/dev/null || pip install -q openpyxl
  python3 bench/convert.py "$base.csv" "$base.xlsx"
fi
if [ -n "${INGEST_BIN:-}" ]; then
  bin="$INGEST_BIN"
else
  swift build -c release --product ingest >/dev/null 2>&1
  bin="$(swift build -c release --show-bin-path)/ingest"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
: >"$work/results"
for round in $(seq "$rounds"); do
  for ext in csv ndjson xlsx; do
    rm -rf "$work"/db*
    start=$(date +%s%N)
    /usr/bin/time -v "$bin" run products "$base.$ext" --database "$work/db.sqlite" --importers importers >/dev/null 2>"$work/time.log" || true
    end=$(date +%s%N)
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.log")
    echo "$ext $(( (end - start) / 1000 )) $rss" >>"$work/results"
  done
  echo "round $round done" >&2
done

python3 - "$work/results" "$rows" "$rounds" "$base" <<'PY'
import os, statistics, sys
rows, rounds, base = int(sys.argv[2]), sys.argv[3], sys.argv[4]
data = {}
for line in open(sys.argv[1]):
    ext, us, rss = line.split()
    data.setdefault(ext, []).append((rows / (int(us) / 1e6), int(rss) / 1024))
targets = {"ndjson": 0.75, "xlsx": 0.5}
print(f"\n{rows:,} rows, {rounds} alternating rounds; rows/s as min / median / max\n")
print("| format | size MB | rows/s min | median | max | peak RSS MiB | ratio to CSV | target |")
print("|---|---|---|---|---|---|---|---|")
csv_median = statistics.median(r for r, _ in data["csv"])
for ext in ("csv", "ndjson", "xlsx"):
    rates = [r for r, _ in data[ext]]
    med = statistics.median(rates)
    ratio = med / csv_median
    size = os.path.getsize(f"{base}.{ext}") / 1048576
    target = f">= {targets[ext]:.2f}x {'met' if ratio >= targets[ext] else 'MISSED'}" if ext in targets else "-"
    print(f"| {ext} | {size:.1f} | {min(rates):,.0f} | {med:,.0f} | {max(rates):,.0f} | "
          f"{statistics.median(m for _, m in data[ext]):.1f} | {ratio:.2f}x | {target} |")
PY
