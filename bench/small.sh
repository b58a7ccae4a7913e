#!/usr/bin/env bash
# Small runs: the wall time of a 1-row import, end to end (process start, migration check,
# claim, read, write, final status, exit), over N runs on one database.
#
# usage: bench/small.sh [N]   (default 20)
# Prints min / median / max in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-20}"
swift build -c release --product ingest >/dev/null
bin="$(swift build -c release --show-bin-path)/ingest"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
head -2 examples/products.csv > "$work/one.csv"
"$bin" run products "$work/one.csv" --database "$work/small.sqlite" --importers importers >/dev/null  # creates the tables
times=()
for _ in $(seq "$n"); do
  start=$(date +%s%N)
  "$bin" run products "$work/one.csv" --database "$work/small.sqlite" --importers importers >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000 )))
done
printf '%s\n' "${times[@]}" | sort -n | awk '
  { t[NR] = $1 }
  END { printf "1-row import over %d runs: min %.1f ms, median %.1f ms, max %.1f ms\n", NR, t[1] / 1000, t[int((NR + 1) / 2)] / 1000, t[NR] / 1000 }'
