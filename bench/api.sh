#!/usr/bin/env bash
# API reads vs. nginx serving the same bytes as static files, side by side in one run.
#
# usage: bench/api.sh [ROUNDS] [SECONDS]   (default 5 rounds of 3 s per measurement, ~5 minutes)
#        INGEST_BIN=path/to/ingest bench/api.sh …   measures that binary instead of building one
#
# Sets up a database with 15 runs: run 1 imports a generated 200-row products file in which 100
# rows fail (unicode, quotes, backslashes, slashes, tabs, line breaks, numbers written as text),
# the others import examples/products.csv. Starts `ingest serve` on 127.0.0.1 with a token, saves
# the exact body of each endpoint below, and serves those files with nginx on another loopback
# port. Then, for each round, endpoint and connection count, runs wrk against Ingest and then
# against nginx (alternating, so drift on the shared machine hits both alike) and prints, per
# endpoint and connection count: Ingest req/s (median, min, max over the rounds), nginx req/s
# (median, min, max), the ratio of medians, the median p99 latency of each, and the target.
#
#   GET /api/v1/ingest/1                 run 1 with its first 100 logged rows (~50 KB)
#   GET /api/v1/ingest                   the first page of the run list (15 runs)
#   GET /api/v1/ingest/1/errors/summary  run 1's error summary
#
# nginx: `worker_processes auto` (two workers on the 2-core machine, as Ingest may use both
# cores), access log to a file (Ingest logs every request too), keep-alive without a request cap
# (Ingest has none), defaults otherwise (sendfile on, no open_file_cache). It runs as root from a
# temporary prefix with `daemon off`, in the background.
# Ingest: `--max-unauthenticated-per-address 64` and `--max-unauthenticated-connections 64`,
# because all 64 wrk connections come from one address and each starts unauthenticated.
# wrk: one thread for 1 connection, two threads otherwise; the same Authorization header is sent
# to both servers, with a 10 s timeout (a slow answer counts in the latency). Any non-2xx answer
# or connect/read/write error fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
seconds="${2:-3}"
connections=(1 16 64)

apt_get() { apt-get -o APT::Sandbox::User=root "$@"; }
if ! command -v wrk >/dev/null || ! [ -x /usr/sbin/nginx ]; then
  echo "installing wrk and nginx-light …" >&2
  apt_get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt_get install -y -qq wrk nginx-light >&2
fi
nginx_bin=/usr/sbin/nginx
# The package starts a system nginx on port 80; it is not used here and left as it is.

if [ -n "${INGEST_BIN:-}" ]; then  # an already built binary, e.g. an older build to compare with
  bin="$INGEST_BIN"
else
  swift build -c release --product ingest >/dev/null
  bin="$(swift build -c release --show-bin-path)/ingest"
fi
work="$(mktemp -d)"
serve_pid=""
nginx_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# --- data: 200 rows, every second one failing, with text that exercises JSON escaping -----------
python3 - "$work/bench.csv" <<'PY'
import csv, sys
rows = []
names = ["Desk Lamp", "Café crème “deluxe”", "Größe / Maß \\ 10\"", "emoji 🚀 and 中文", "tab\there", "line\nbreak", "ctl\x01char", "a/b</script>"]
for i in range(1, 201):
    name = names[i % len(names)] + f" {i}"
    if i % 2 == 0:
        rows.append([f"SKU-{i:08d}", name, "sales@example.com", f"{i * 1.25:.2f}", str(i), "office", "2023-04-01", "yes", "1.250", f"ok {i}"])
    else:  # fails: bad email, negative price, unknown category, bad SKU
        rows.append([f"BAD-{i}", name, "not-an-email", "-1", "x", "nowhere", "31.31.2023", "maybe", "-0.0", f"bad {i} \\u00e9 1e308"])
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["SKU", "Name", "Contact Email", "Price", "Stock", "Category", "Released On", "Active", "Weight (kg)", "Description"])
    w.writerows(rows)
PY
db="$work/api.sqlite"
common=(--database "$db" --importers importers)
"$bin" run products "$work/bench.csv" "${common[@]}" >/dev/null || [ $? -eq 2 ]
for _ in $(seq 14); do "$bin" run products examples/products.csv "${common[@]}" >/dev/null || [ $? -eq 2 ]; done
token="$("$bin" token create --name bench --user-id 1 --database "$db" | grep -o 'ingest_[A-Za-z0-9_-]*' | head -1)"
[ -n "$token" ] || { echo "could not create a token" >&2; exit 1; }

# --- servers ------------------------------------------------------------------------------------
ingest_port="$(free_port)"
"$bin" serve "${common[@]}" --port "$ingest_port" --uploads "$work/uploads" \
  --max-unauthenticated-connections 64 --max-unauthenticated-per-address 64 2>"$work/serve.log" &
serve_pid=$!
base="http://127.0.0.1:$ingest_port/api/v1/ingest"
for _ in $(seq 100); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done
curl -sf "$base/health" >/dev/null || { echo "ingest serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

mkdir -p "$work/static" "$work/nginx/logs"
endpoints=(show list summary)
declare -A paths=([show]="/1" [list]="" [summary]="/1/errors/summary")
for e in "${endpoints[@]}"; do
  curl -sf -H "Authorization: Bearer $token" "$base${paths[$e]}" -o "$work/static/$e.json"
done

nginx_port="$(free_port)"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
user root;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log $work/nginx/logs/access.log;
  default_type application/json;
  sendfile on;
  keepalive_requests 100000000;
  keepalive_timeout 65;
  client_body_temp_path $work/nginx/tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/static;
  }
}
CONF
mkdir -p "$work/nginx/tmp"
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$nginx_port/show.json" >/dev/null && break; sleep 0.1; done
for e in "${endpoints[@]}"; do
  cmp -s <(curl -sf "http://127.0.0.1:$nginx_port/$e.json") "$work/static/$e.json" || { echo "nginx does not serve $e.json" >&2; exit 1; }
done
printf 'bodies: show %s B, list %s B, summary %s B\n' "$(wc -c <"$work/static/show.json")" "$(wc -c <"$work/static/list.json")" "$(wc -c <"$work/static/summary.json")"

# --- measurements -------------------------------------------------------------------------------
results="$work/results.tsv"
: >"$results"
measure() { # server endpoint connections url
  local threads=2
  [ "$3" -eq 1 ] && threads=1
  local out
  out="$(wrk -t"$threads" -c"$3" -d"${seconds}s" --timeout 10s --latency -H "Authorization: Bearer $token" "$4")"
  # A slow answer is a result (its latency counts); a refused, broken or non-2xx one is a failure.
  if grep -q -e 'Non-2xx' -e 'Socket errors: connect [1-9]' -e 'read [1-9]' -e 'write [1-9]' <<<"$out"; then
    echo "$1 $2 c=$3: errors" >&2; echo "$out" >&2; exit 1
  fi
  local rps p99
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$rps" "$p99" >>"$results"
}
echo "running $rounds rounds of ${seconds}s per measurement (3 endpoints x ${#connections[@]} connection counts x 2 servers)"
for round in $(seq "$rounds"); do
  for e in "${endpoints[@]}"; do
    for c in "${connections[@]}"; do
      measure ingest "$e" "$c" "$base${paths[$e]}"
      measure nginx "$e" "$c" "http://127.0.0.1:$nginx_port/$e.json"
    done
  done
  echo "round $round done" >&2
done

python3 - "$results" "$rounds" <<'PY'
import sys, statistics
def ms(text):
    for unit, f in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit): return float(text[:-len(unit)]) * f
    return float(text)
data = {}
for line in open(sys.argv[1]):
    server, endpoint, conns, rps, p99 = line.split("\t")
    data.setdefault((endpoint, int(conns), server), []).append((float(rps), ms(p99.strip())))
labels = {"show": "GET /{id}", "list": "GET /", "summary": "GET /{id}/errors/summary"}
print(f"\n{sys.argv[2]} alternating rounds; req/s as median (min-max); p99 as the median over the rounds\n")
print("| endpoint | conns | Ingest req/s | nginx req/s | ratio | Ingest p99 | nginx p99 | target |")
print("|---|---|---|---|---|---|---|---|")
for endpoint in ("show", "list", "summary"):
    for conns in (1, 16, 64):
        i = data.get((endpoint, conns, "ingest")); n = data.get((endpoint, conns, "nginx"))
        if not i or not n: continue
        ir = [x[0] for x in i]; nr = [x[0] for x in n]
        ratio = statistics.median(ir) / statistics.median(nr)
        print(f"| {labels[endpoint]} | {conns} | {statistics.median(ir):,.0f} ({min(ir):,.0f}-{max(ir):,.0f}) "
              f"| {statistics.median(nr):,.0f} ({min(nr):,.0f}-{max(nr):,.0f}) | {ratio:.2f}x "
              f"| {statistics.median(x[1] for x in i):.2f} ms | {statistics.median(x[1] for x in n):.2f} ms "
              f"| >= 0.40x {'met' if ratio >= 0.4 else 'MISSED'} |")
PY
