#!/usr/bin/env bash
# Small runs: the wall time of a 1-row import, end to end (process start, migration check,
# claim, read, write, final status, exit), and of `ingest list`, over N runs on one database.
#
# usage: bench/small.sh [N]   (default 20)
#        INGEST_BIN=path/to/ingest bench/small.sh …        measures that binary instead of building one
#        INGEST_BASE_BIN=path/to/older/ingest bench/small.sh …   also measures an older build,
#                                                          alternating with it run by run
# Prints min / median / max in milliseconds next to the targets (import < 20 ms, list < 10 ms),
# and of `ingest version`, which only starts the process: the floor under both.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-20}"
if [ -n "${INGEST_BIN:-}" ]; then
  bin="$INGEST_BIN"
else
  swift build -c release --product ingest >/dev/null
  bin="$(swift build -c release --show-bin-path)/ingest"
fi
base="${INGEST_BASE_BIN:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
head -2 examples/products.csv > "$work/one.csv"

builds=(new)
declare -A binary=([new]="$bin")
if [ -n "$base" ]; then builds=(base new); binary[base]="$base"; fi
for b in "${builds[@]}"; do  # each build its own database; the first run creates the tables
  "${binary[$b]}" run products "$work/one.csv" --database "$work/$b.sqlite" --importers importers >/dev/null
done

now_us() { echo $(( $(date +%s%N) / 1000 )); }
: >"$work/times"
for _ in $(seq "$n"); do
  for b in "${builds[@]}"; do
    start=$(now_us)
    "${binary[$b]}" run products "$work/one.csv" --database "$work/$b.sqlite" --importers importers >/dev/null
    end=$(now_us)
    echo "$b import $((end - start))" >>"$work/times"
    start=$(now_us)
    "${binary[$b]}" list --database "$work/$b.sqlite" --importers importers >/dev/null
    end=$(now_us)
    echo "$b list $((end - start))" >>"$work/times"
    start=$(now_us)
    "${binary[$b]}" version >/dev/null
    end=$(now_us)
    echo "$b version $((end - start))" >>"$work/times"
  done
done

python3 - "$work/times" "$n" <<'PY'
import sys, statistics
data = {}
for line in open(sys.argv[1]):
    build, what, us = line.split()
    data.setdefault((build, what), []).append(int(us) / 1000)
targets = {"import": 20.0, "list": 10.0}
labels = {"import": "1-row import", "list": "ingest list", "version": "ingest version (process start, no database)"}
print(f"\n{sys.argv[2]} runs each (alternating builds); wall ms as min / median / max\n")
print("| build | command | min | median | max | target |")
print("|---|---|---|---|---|---|")
for what in ("import", "list", "version"):
    for build in ("base", "new"):
        t = data.get((build, what))
        if not t: continue
        med = statistics.median(t)
        target = f"< {targets[what]:.0f} ms {'met' if med < targets[what] else 'MISSED'}" if what in targets else "(the floor)"
        print(f"| {build} | {labels[what]} | {min(t):.1f} | {med:.1f} | {max(t):.1f} | {target} |")
PY
