#!/usr/bin/env bash
# Ingest vs. SQLite's own shell import, side by side on the same file, alternating round by round.
#
# usage: bench/run.sh [ROWS] [ROUNDS]   (defaults 1000000 and 5)
# Generates bench/data/products-ROWS.csv once (deterministic, ~185 bytes a row) and reuses it.
#
# Each round runs, one after the other on fresh databases:
#   sqlite3 .import   the anchor: SQLite's shell parses and inserts on one thread, plain table, no key
#   ingest            `ingest run products` (typed columns, rules, key sku with on_duplicate update,
#                     category lookup), with its per-thread split from summary.meta.threads
#   floor             ingest-floor (Sources/ingest-floor): the same feed pre-parsed into memory,
#                     then only SQLite's work for the same keyed upsert, timed alone on one thread
# and prints min / median / max of each and of the per-round ratios.
#
# Environment:
#   INGEST_BIN=path    measure an ingest binary that is already built (no build)
#   BASE_BIN=path      also measure another ingest binary each round (e.g. a build of main)
#   WITHOUT_ROWID=1    also measure ingest with target.without_rowid (a copy of the importer)
#   FLOOR_MODES="keyed plain without-rowid"   floor variants to run (default: keyed)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
rounds="${2:-5}"
data="bench/data/products-${rows}.csv"
mkdir -p bench/data
if [ ! -s "$data" ]; then
  echo "generating $data …"
  python3 bench/gen_products.py "$rows" "$data"
fi
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing: apt-get install -y sqlite3" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install -y time" >&2; exit 1; }

if [ -z "${INGEST_BIN:-}" ]; then
  swift build -c release --product ingest >/dev/null
  INGEST_BIN="$(swift build -c release --show-bin-path)/ingest"
fi
swift build -c release --product ingest-floor >/dev/null
floor_bin="$(swift build -c release --show-bin-path)/ingest-floor"
floor_modes="${FLOOR_MODES:-keyed}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"
: >"$results"

if [ -n "${WITHOUT_ROWID:-}" ]; then
  mkdir -p "$work/importers-wr"
  python3 - "$work/importers-wr/products.json" <<'EOF'
import json, sys
d = json.load(open("importers/products.json"))
d.pop("$schema", None)
d["target"]["without_rowid"] = True
json.dump(d, open(sys.argv[1], "w"))
EOF
fi

measure() { # label, command...: appends "label wall_s rss_kb" to the results
  local label="$1"; shift
  local log="$work/time.log" start end rss
  start=$(date +%s.%N)
  # ingest exits 2 for completed_with_errors (the feed has bad rows): the status is checked from the database.
  /usr/bin/time -v "$@" >"$work/out.log" 2>"$log" || true
  end=$(date +%s.%N)
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  printf '%s\t%s\t%s\n' "$label" "$(echo "$end - $start" | bc -l)" "$rss" >>"$results"
}

ingest_round() { # label, binary, importers folder
  local db="$work/$1.sqlite"
  rm -f "$db" "$db-wal" "$db-shm"
  measure "$1" "$2" run products "$data" --database "$db" --importers "$3"
  local row
  row=$(sqlite3 -separator ' ' "$db" "SELECT status, failed_rows, created_rows, updated_rows,
      COALESCE(json_extract(summary, '\$.meta.threads.read_validate_cpu_ms'), -1),
      COALESCE(json_extract(summary, '\$.meta.threads.write_cpu_ms'), -1),
      COALESCE(json_extract(summary, '\$.meta.threads.write_sqlite_ms'), -1)
      FROM ingest_runs ORDER BY id DESC LIMIT 1")
  case "$row" in completed*) ;; *) echo "$1: the run did not complete: $row" >&2; tail -n 5 "$work/out.log" >&2; exit 1 ;; esac
  printf '%s-run\t%s\n' "$1" "$row" >>"$results"
}

for round in $(seq 1 "$rounds"); do
  rm -rf "$work"/*.sqlite*
  measure anchor sqlite3 "$work/anchor.sqlite" -cmd "PRAGMA journal_mode=WAL;" ".import --csv $data products"
  ingest_round ingest "$INGEST_BIN" importers
  if [ -n "${BASE_BIN:-}" ]; then ingest_round base "$BASE_BIN" importers; fi
  if [ -n "${WITHOUT_ROWID:-}" ]; then ingest_round without_rowid "$INGEST_BIN" "$work/importers-wr"; fi
  for mode in $floor_modes; do
    rm -rf "$work/floor.sqlite"*
    "$floor_bin" "$data" "$work/floor.sqlite" "$mode" >"$work/floor.log"
    printf 'floor-%s\t%s\n' "$mode" "$(awk '{print $(NF-1)}' "$work/floor.log")" >>"$results"
  done
  echo "round $round/$rounds done" >&2
done

python3 - "$results" "$rows" "$rounds" <<'EOF'
import sys, statistics
path, rows, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
wall, rss, runs, floor = {}, {}, {}, {}
for line in open(path):
    f = line.rstrip("\n").split("\t")
    if f[0].endswith("-run"):
        runs.setdefault(f[0][:-4], []).append(f[1].split())
    elif f[0].startswith("floor-"):
        floor.setdefault(f[0][6:], []).append(float(f[1]))
    else:
        wall.setdefault(f[0], []).append(float(f[1])); rss.setdefault(f[0], []).append(int(f[2]) / 1024)
def mmm(xs, fmt="{:.2f}"):
    return " / ".join(fmt.format(x) for x in (min(xs), statistics.median(xs), max(xs)))
anchor = wall["anchor"]
print(f"\nrows in file: {rows:,}; {rounds} alternating rounds; min / median / max")
print(f"{'sqlite3 .import':<26} {mmm(anchor)} s   peak RSS {mmm(rss['anchor'], '{:.1f}')} MiB")
labels = [l for l in ("ingest", "base", "without_rowid") if l in wall]
for label in labels:
    name = {"ingest": "ingest run products", "base": "ingest (BASE_BIN)", "without_rowid": "ingest, without_rowid"}[label]
    r = runs[label][-1]
    print(f"{name:<26} {mmm(wall[label])} s   peak RSS {mmm(rss[label], '{:.1f}')} MiB   ({r[0]}, {r[2]} created, {r[3]} updated, {r[1]} failed)")
for mode, xs in floor.items():
    print(f"{'floor (' + mode + ')':<26} {mmm(xs)} s   SQLite's writes alone, pre-parsed values, one thread")
print()
for label in labels:
    ratios = [i / a for i, a in zip(wall[label], anchor)]
    target = "MET" if statistics.median(ratios) <= 1.0 else "MISSED"
    print(f"ratio {label} / sqlite3:{'':<{14 - len(label)}} {mmm(ratios)}   (target <= 1.00: {target})")
if "base" in wall:
    print(f"ratio ingest / base:{'':<8} {mmm([i / b for i, b in zip(wall['ingest'], wall['base'])])}   (the same rounds, this build vs BASE_BIN)")
for mode, xs in floor.items():
    print(f"ratio floor ({mode}) / sqlite3: {mmm([f / a for f, a in zip(xs, anchor)])}")
    for label in labels:
        print(f"ratio {label} / floor ({mode}): {mmm([i / f for i, f in zip(wall[label], xs)])}")
print()
for label in labels:
    t = [[int(x) for x in r[4:7]] for r in runs[label]]
    if any(x[0] < 0 for x in t):
        print(f"{label}: no per-thread split in its summary (an older build)")
        continue
    parse, write, sql = [x[0] / 1000 for x in t], [x[1] / 1000 for x in t], [x[2] / 1000 for x in t]
    share = [s / w * 100 if w else 0 for s, w in zip(sql, write)]
    print(f"{label} threads (CPU s): read+validate {mmm(parse)}   write {mmm(write)}   "
          f"inside SQLite {mmm(sql)} ({mmm(share, '{:.0f}')}% of the write thread)")
EOF
