#!/usr/bin/env bash
# Ingest vs. SQLite's own shell import, side by side on the same file in the same run.
#
# usage: bench/run.sh [ROWS]   (default 1000000)
# Generates bench/data/products-ROWS.csv once (deterministic, ~185 bytes a row) and reuses it.
# Prints both wall times, the ratio (ingest / sqlite3), rows/s and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
data="bench/data/products-${rows}.csv"
mkdir -p bench/data
if [ ! -s "$data" ]; then
  echo "generating $data …"
  python3 bench/gen_products.py "$rows" "$data"
fi
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing: apt-get install -y sqlite3" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install -y time" >&2; exit 1; }

swift build -c release --product ingest >/dev/null
bin="$(swift build -c release --show-bin-path)/ingest"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

measure() { # label, command...: prints "wall_s rss_kb"
  local log="$work/time.log"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v "$@" >"$work/out.log" 2>"$log" || true
  end=$(date +%s.%N)
  local rss
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  echo "$(echo "$end - $start" | bc -l) $rss"
}

# Anchor: sqlite3 .import into a plain table (no validation, no key), WAL like Ingest.
read -r anchor_wall anchor_rss < <(measure sqlite3 "$work/anchor.sqlite" -cmd "PRAGMA journal_mode=WAL;" ".import --csv $data products")
anchor_rows=$(sqlite3 "$work/anchor.sqlite" "SELECT COUNT(*) FROM products")

# Ingest: the shipped products importer (typed columns, rules, key sku with on_duplicate update, category lookup).
read -r ingest_wall ingest_rss < <(measure "$bin" run products "$data" --database "$work/ingest.sqlite" --importers importers)
ingest_rows=$(sqlite3 "$work/ingest.sqlite" "SELECT COUNT(*) FROM products")
failed=$(sqlite3 "$work/ingest.sqlite" "SELECT failed_rows FROM ingest_runs ORDER BY id DESC LIMIT 1")
status=$(sqlite3 "$work/ingest.sqlite" "SELECT status FROM ingest_runs ORDER BY id DESC LIMIT 1")

ratio=$(echo "$ingest_wall / $anchor_wall" | bc -l)
printf '\nrows in file:            %d\n' "$rows"
printf 'sqlite3 .import:         %6.2f s  %8.0f rows/s  peak RSS %6.1f MiB  (%d rows)\n' "$anchor_wall" "$(echo "$rows / $anchor_wall" | bc -l)" "$(echo "$anchor_rss / 1024" | bc -l)" "$anchor_rows"
printf 'ingest run products:     %6.2f s  %8.0f rows/s  peak RSS %6.1f MiB  (%d rows in table, %d failed, %s)\n' "$ingest_wall" "$(echo "$rows / $ingest_wall" | bc -l)" "$(echo "$ingest_rss / 1024" | bc -l)" "$ingest_rows" "$failed" "$status"
printf 'ratio ingest / sqlite3:  %6.2f  (target <= 1.00)\n' "$ratio"
