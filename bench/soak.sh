#!/usr/bin/env bash
# Soak test: 10,000 uploads of a small CSV over 16 keep-alive connections to a real
# `ingest serve` on 127.0.0.1, sampling the server's open file descriptors, threads and RSS
# every 1,000 uploads (and once more after the runs drain). Not part of the tests: it takes
# minutes. Prints a table; growth in any column over the run is a leak.
#
#   bench/soak.sh [UPLOADS] [CONNECTIONS]        defaults 10000 16
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=${INGEST_BIN:-$root/.build/release/ingest}
[[ -x $bin ]] || swift build -c release --product ingest
work=$(mktemp -d "${TMPDIR:-/tmp}/ingest-soak.XXXXXX")
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
cp -r importers examples "$work/"
cd "$work"
token=$("$bin" token create --name soak --database ingest.sqlite 2>/dev/null | head -n 1)
"$bin" serve --port 0 --database ingest.sqlite --importers importers 2>serve.log &
server=$!
port=
for _ in $(seq 1 100); do
  port=$(grep -o 'Listening on http://127.0.0.1:[0-9]*' serve.log | grep -o '[0-9]*$' || true)
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || { echo "soak.sh: the server did not start" >&2; cat serve.log >&2; exit 1; }
python3 "$root/bench/soak.py" "$port" "$token" "$server" examples/products.csv "${1:-10000}" "${2:-16}"
echo "runs recorded: $(sqlite3 ingest.sqlite 'select status, count(*) from ingest_runs group by status' | tr '\n' ' ')"
