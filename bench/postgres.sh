#!/usr/bin/env bash
# Ingest into PostgreSQL vs. `psql \copy` of the same CSV into a plain table, side by side on the
# same server, alternating round by round; then, as information, 1, 2 and 3 nodes importing
# different files at once into one table.
#
# usage: bench/postgres.sh [ROWS] [ROUNDS]   (defaults 1000000 and 5)
# Generates bench/data/products-ROWS.csv once (bench/gen_products.py) and reuses it.
#
# The server: a private cluster started here with .ci/postgres (initdb in a temporary folder, a
# loopback port, stopped at the end), or the one at INGEST_BENCH_POSTGRES_URL (its role must be
# allowed to CREATE DATABASE).
#
# Each round, on fresh databases of that server:
#   psql \copy   the anchor: `\copy products FROM … CSV HEADER` into a plain table of ten TEXT
#                columns (no key, no types, no validation)
#   ingest       `ingest run products FILE --database postgres://…` (typed columns, rules, key sku
#                with on_duplicate update, category lookup): COPY into a staging table per chunk,
#                then INSERT … SELECT … ON CONFLICT
# and prints min / median / max of each and of the per-round ratios (goal: ingest ≤ 1.5 × psql).
#
# Nodes (information): K = 1, 2, 3 `ingest run` processes, each importing its own file of
# NODE_ROWS rows (distinct SKUs) into the same products table at the same moment, as K nodes'
# workers would; prints the aggregate rows/s. On one machine the processes share its cores and
# disk, so this shows contention, not scale-out.
#
# Environment:
#   INGEST_BIN=path              measure an ingest binary that is already built (no build)
#   INGEST_BENCH_POSTGRES_URL    use this server instead of a private cluster
#   NODE_ROWS=n                  rows per node file (default ROWS / 3); NODES=0 skips the node part
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
rows="${1:-1000000}"
rounds="${2:-5}"
node_rows="${NODE_ROWS:-$((rows / 3))}"
data="$root/bench/data/products-${rows}.csv"
mkdir -p bench/data
[ -s "$data" ] || { echo "generating $data …" >&2; python3 bench/gen_products.py "$rows" "$data"; }
command -v psql >/dev/null || { echo "psql missing: run .ci/install-deps (apt-get install postgresql)" >&2; exit 1; }

if [ -z "${INGEST_BIN:-}" ]; then
  swift build -c release --product ingest >/dev/null
  INGEST_BIN="$(swift build -c release --show-bin-path)/ingest"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/ingest-pgbench.XXXXXX")"
chmod 755 "$work"
cluster=""
cleanup() {
  if [ -n "$cluster" ]; then .ci/postgres stop "$cluster" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
if [ -n "${INGEST_BENCH_POSTGRES_URL:-}" ]; then
  server="$INGEST_BENCH_POSTGRES_URL"
else
  cluster="$work/cluster"
  server="$(.ci/postgres start "$cluster" | tail -n 1)"
fi
base="${server%%\?*}"
base="${base%/*}"   # postgres://user@host:port
query=""
case "$server" in *\?*) query="?${server#*\?}" ;; esac
results="$work/results.tsv"
: >"$results"

fresh_db() { # name: drops and creates it, prints its URL
  psql -q -v ON_ERROR_STOP=1 "$server" -c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\"" >/dev/null
  echo "$base/$1$query"
}

seconds() { # command...: runs it, prints the wall seconds; its output goes to $work/out.log
  local start end
  start=$(date +%s.%N)
  "$@" >"$work/out.log" 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

check_ingest() { # url expected-status-prefix: the last run must have completed
  local row
  row=$(psql -qAt -F ' ' "$1" -c "SELECT status, failed_rows, created_rows, updated_rows FROM ingest_runs ORDER BY id DESC LIMIT 1")
  case "$row" in completed*) ;; *) echo "the run did not complete: $row" >&2; tail -n 20 "$work/out.log" >&2; exit 1 ;; esac
  echo "$row"
}

anchor_table="CREATE TABLE products (sku TEXT, name TEXT, contact_email TEXT, price TEXT, stock TEXT, category TEXT,
  released_on TEXT, active TEXT, weight_kg TEXT, description TEXT)"

for round in $(seq 1 "$rounds"); do
  url=$(fresh_db bench_anchor)
  psql -q -v ON_ERROR_STOP=1 "$url" -c "$anchor_table" >/dev/null
  printf 'anchor\t%s\n' "$(seconds psql -v ON_ERROR_STOP=1 "$url" -c "\\copy products FROM '$data' WITH (FORMAT csv, HEADER true)")" >>"$results"
  copied=$(psql -qAt "$url" -c "SELECT COUNT(*) FROM products")
  [ "$copied" = "$rows" ] || { echo "psql \\copy loaded $copied rows, not $rows" >&2; cat "$work/out.log" >&2; exit 1; }

  url=$(fresh_db bench_ingest)
  printf 'ingest\t%s\n' "$(seconds "$INGEST_BIN" run products "$data" --database "$url" --importers importers)" >>"$results"
  printf 'ingest-run\t%s\n' "$(check_ingest "$url")" >>"$results"
  echo "round $round/$rounds done" >&2
done

nodes="${NODES:-3}"
for k in $(seq 1 "$nodes"); do
  file="$root/bench/data/products-${node_rows}-node${k}.csv"
  [ -s "$file" ] || python3 bench/gen_products.py "$node_rows" "$file" --seed "$((7 + k))" --sku-offset "$((k * 10000000))"
done
for k in $(seq 1 "$nodes"); do
  url=$(fresh_db bench_nodes)
  # The table exists before the nodes start, as it would behind a load balancer.
  "$INGEST_BIN" check products --database "$url" --importers importers >/dev/null 2>&1 || true
  start=$(date +%s.%N)
  pids=()
  for n in $(seq 1 "$k"); do
    "$INGEST_BIN" run products "$root/bench/data/products-${node_rows}-node${n}.csv" --database "$url" --importers importers \
      >"$work/node$n.log" 2>&1 &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  end=$(date +%s.%N)
  done_runs=$(psql -qAt "$url" -c "SELECT COUNT(*) FROM ingest_runs WHERE status LIKE 'completed%'")
  [ "$done_runs" = "$k" ] || { echo "$k nodes: only $done_runs runs completed" >&2; cat "$work"/node*.log >&2; exit 1; }
  printf 'nodes\t%s\t%s\n' "$k" "$(echo "$end - $start" | bc -l)" >>"$results"
done

python3 - "$results" "$rows" "$rounds" "$node_rows" <<'EOF'
import sys, statistics
path, rows, rounds, node_rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
wall, runs, nodes = {}, [], {}
for line in open(path):
    f = line.rstrip("\n").split("\t")
    if f[0] == "ingest-run": runs.append(f[1].split())
    elif f[0] == "nodes": nodes[int(f[1])] = float(f[2])
    else: wall.setdefault(f[0], []).append(float(f[1]))
def mmm(xs, fmt="{:.2f}"):
    return " / ".join(fmt.format(x) for x in (min(xs), statistics.median(xs), max(xs)))
a, i = wall["anchor"], wall["ingest"]
r = runs[-1]
print(f"\nrows in file: {rows:,}; {rounds} alternating rounds; min / median / max")
anchor_name = "psql \\copy (plain table)"
print(f"{anchor_name:<28} {mmm(a)} s   {mmm([rows / x for x in a], '{:,.0f}')} rows/s")
print(f"{'ingest run products':<28} {mmm(i)} s   {mmm([rows / x for x in i], '{:,.0f}')} rows/s   ({r[0]}, {r[2]} created, {r[3]} updated, {r[1]} failed)")
ratios = [x / y for x, y in zip(i, a)]
print(f"ratio ingest / psql \\copy:    {mmm(ratios)}   (goal <= 1.50: {'MET' if statistics.median(ratios) <= 1.5 else 'MISSED'})")
if nodes:
    print(f"\nnodes importing different files of {node_rows:,} rows into one table at once (information, one run each):")
    for k in sorted(nodes):
        print(f"  {k} node(s): {nodes[k]:.2f} s   {k * node_rows / nodes[k]:,.0f} rows/s in all")
EOF
