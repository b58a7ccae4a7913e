#!/usr/bin/env bash
# Uploads: a large multipart upload to `ingest serve` against the same bytes sent to a raw
# socket-to-file sink, side by side in alternating rounds.
#
# usage: bench/upload.sh [ROUNDS] [ROWS]   (defaults 5 and 1000000: the ~185 MB products feed)
#        INGEST_BIN=path/to/ingest bench/upload.sh   measures that binary instead of building
#
# Both sides get the identical request from curl (`-F file=@feed.csv`, no `Expect`), on
# 127.0.0.1, and are timed by curl until the response arrives: for Ingest that is the 202 of
# POST /api/v1/ingest/upload/products, sent once the body is parsed and the file is on disk and
# the run recorded; for the sink (a small C program compiled here into a temporary folder) it
# is its 202 after it has read the head and written every body byte to a file with read/write
# on a 256 KiB buffer. Each Ingest run is cancelled at once, and the next round waits until it
# has ended, so no import competes with the next upload. Prints min / median / max MB/s
# (10^6 bytes per second) of each side and the ratio of the medians next to the target, and
# the CPU time each server process spent per GB (from /proc/PID/stat, 10 ms ticks; Ingest's
# includes the first moments of the run its worker starts before the cancel arrives).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
rounds="${1:-5}"
rows="${2:-1000000}"
data="$root/bench/data/products-${rows}.csv"
mkdir -p bench/data
[ -s "$data" ] || python3 bench/gen_products.py "$rows" "$data"
command -v gcc >/dev/null || { echo "gcc missing: apt-get install -y gcc" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl missing: apt-get install -y curl" >&2; exit 1; }
if [ -n "${INGEST_BIN:-}" ]; then
  bin=$INGEST_BIN    # a binary built already (e.g. to compare two builds)
else
  swift build -c release --product ingest >/dev/null
  bin="$(swift build -c release --show-bin-path)/ingest"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/ingest-upload.XXXXXX")"
server=
sink=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "$sink" ] && kill "$sink" 2>/dev/null && wait "$sink" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/sink.c" <<'C'
/* Raw socket-to-file sink: accepts connections on 127.0.0.1, reads an HTTP request head, writes
   Content-Length body bytes to a file with read/write on one buffer, answers 202. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static char buf[256 * 1024];

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(ls, (struct sockaddr *)&a, sizeof a) || listen(ls, 16)) return 1;
    socklen_t len = sizeof a;
    getsockname(ls, (struct sockaddr *)&a, &len);
    FILE *pf = fopen(argv[1], "w"); fprintf(pf, "%d\n", ntohs(a.sin_port)); fclose(pf);
    for (;;) {
        int c = accept(ls, NULL, NULL);
        if (c < 0) continue;
        size_t have = 0; char *end = NULL;
        while (!end && have < sizeof buf - 1) {
            ssize_t n = read(c, buf + have, sizeof buf - 1 - have);
            if (n <= 0) break;
            have += n; buf[have] = 0;
            end = strstr(buf, "\r\n\r\n");
        }
        if (!end) { close(c); continue; }
        long long left = 0;
        for (char *p = buf; p < end; p = strstr(p, "\r\n") + 2)
            if (!strncasecmp(p, "Content-Length:", 15)) left = atoll(p + 15);
        int f = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
        size_t body = have - (size_t)(end + 4 - buf);
        if (body > 0) { if (write(f, end + 4, body) < 0) return 1; left -= body; }
        while (left > 0) {
            ssize_t n = read(c, buf, sizeof buf);
            if (n <= 0) break;
            if (write(f, buf, n) != n) return 1;
            left -= n;
        }
        close(f);
        const char *r = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        if (write(c, r, strlen(r)) < 0) {}
        close(c);
    }
}
C
gcc -O2 -o "$work/sink" "$work/sink.c"
"$work/sink" "$work/sink.port" "$work/sink.out" &
sink=$!

mkdir -p "$work/ingest"
cp -r importers "$work/ingest/"
cd "$work/ingest"
token=$("$bin" token create --name bench --database ingest.sqlite 2>/dev/null | head -n 1)
: > serve.log
"$bin" serve --port 0 --database ingest.sqlite --importers importers --max-upload-mb 4096 2>serve.log &
server=$!
port=
for _ in $(seq 1 100); do
  port=$(grep -o 'Listening on http://127.0.0.1:[0-9]*' serve.log | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && [ -s "$work/sink.port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "upload.sh: the server did not start" >&2; cat serve.log >&2; exit 1; }
sink_port=$(cat "$work/sink.port")
size=$(stat -L -c %s "$data")

upload() { # URL [auth header]: prints "seconds http_code", the body in $work/response
  curl -s -o "$work/response" -w '%{time_total} %{http_code}\n' -H 'Expect:' "${@:2}" -F "file=@$data;type=text/csv" "$1"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }   # user + system clock ticks of a process
hz=$(getconf CLK_TCK)
ingest_mbs=(); sink_mbs=(); ingest_cpu=(); sink_cpu=()
for round in $(seq "$rounds"); do
  c0=$(cpu_ticks "$sink")
  read -r t code < <(upload "http://127.0.0.1:$sink_port/" )
  [ "$code" = 202 ] || { echo "sink answered $code" >&2; exit 1; }
  sink_cpu+=("$(echo "($(cpu_ticks "$sink") - $c0) / $hz / ($size / 1000000000)" | bc -l)")
  sink_mbs+=("$(echo "$size / $t / 1000000" | bc -l)")
  rm -f "$work/sink.out"

  c0=$(cpu_ticks "$server")
  read -r t code < <(upload "http://127.0.0.1:$port/api/v1/ingest/upload/products" -H "Authorization: Bearer $token")
  [ "$code" = 202 ] || { echo "ingest answered $code: $(cat "$work/response")" >&2; exit 1; }
  ingest_cpu+=("$(echo "($(cpu_ticks "$server") - $c0) / $hz / ($size / 1000000000)" | bc -l)")
  ingest_mbs+=("$(echo "$size / $t / 1000000" | bc -l)")
  id=$(grep -o '"id" *: *[0-9]*' "$work/response" | head -1 | grep -o '[0-9]*$')
  curl -s -o /dev/null -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/ingest/$id/cancel"
  for _ in $(seq 1 600); do
    status=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/ingest/$id" | grep -o '"status" *: *"[a-z_]*"' | head -1 | grep -o '"[a-z_]*"$' | tr -d '"')
    case "$status" in pending|processing) sleep 0.1 ;; *) break ;; esac
  done
  printf 'round %d: ingest %7.1f MB/s   sink %7.1f MB/s\n' "$round" "${ingest_mbs[-1]}" "${sink_mbs[-1]}"
done

stats() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f %.3f %.3f\n", v[1], v[int((NR + 1) / 2)], v[NR] }'; }
read -r imin imed imax < <(stats "${ingest_mbs[@]}")
read -r smin smed smax < <(stats "${sink_mbs[@]}")
printf '\nupload of %.1f MB, %d alternating rounds      min     median  max (MB/s)\n' "$(echo "$size / 1000000" | bc -l)" "$rounds"
printf 'ingest serve (multipart, 202):  %8.1f %8.1f %8.1f\n' "$imin" "$imed" "$imax"
printf 'raw socket sink (C):            %8.1f %8.1f %8.1f\n' "$smin" "$smed" "$smax"
printf 'ratio of medians ingest / sink: %8.2f  (target >= 0.80)\n' "$(echo "$imed / $smed" | bc -l)"
read -r icmin icmed icmax < <(stats "${ingest_cpu[@]}")
read -r scmin scmed scmax < <(stats "${sink_cpu[@]}")
printf '\nCPU seconds per GB received (less disturbed by a loaded machine than MB/s)\n'
printf 'ingest serve:                   %8.2f %8.2f %8.2f\n' "$icmin" "$icmed" "$icmax"
printf 'raw socket sink:                %8.2f %8.2f %8.2f\n' "$scmin" "$scmed" "$scmax"
