#!/usr/bin/env bash
# API fuzzing: schemathesis against the OpenAPI document of a real `ingest serve`.
#
#   Fuzz/api.sh [MAX_EXAMPLES]      default 100 examples per operation and phase; ST_SEED=n
#                                   changes the seed (default 1, so runs repeat)
#
# Needs schemathesis (`pip install schemathesis`, tested with 4.x) and curl. Builds the release
# binary if it is missing (or set INGEST_BIN). Everything runs in a new temporary directory on
# 127.0.0.1: a copy of importers/ and examples/, a fresh database with one token (made with
# `ingest token create`), `ingest serve --port 0`, a few runs made by uploads and a trigger so
# that run ids and importer slugs lead somewhere, then
#
#   st run http://127.0.0.1:PORT/api/v1/ingest/openapi.json -H 'Authorization: Bearer TOKEN' \
#      --max-examples N --seed 1
#
# with a config that draws `{ingestRun}` and `{importerSlug}` from the existing ones 80% of the
# time (random values the rest; `trigger` gets the importer whose source can be triggered).
# Every check is on: no 5xx, status codes, content types, headers and bodies as documented,
# schema-valid requests accepted, schema-invalid ones refused, requests without the token
# refused; the config explains the few per-operation exceptions. Exit status: schemathesis's
# (0 = no failure).
# The server's stderr is kept in the temporary directory, which is printed and left in place.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
max_examples=${1:-100}
bin=${INGEST_BIN:-$root/.build/release/ingest}
if [[ ! -x $bin ]]; then swift build -c release --product ingest; fi
command -v st >/dev/null || { echo "api.sh: schemathesis is not installed (pip install schemathesis)" >&2; exit 69; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ingest-api-fuzz.XXXXXX")
echo "api.sh: working in $work" >&2
cp -r importers examples "$work/"
mkdir -p "$work/feeds"
cp examples/products.csv "$work/feeds/products.csv"
cd "$work"

token=$("$bin" token create --name schemathesis --database ingest.sqlite 2>/dev/null | head -n 1)
"$bin" serve --port 0 --database ingest.sqlite --importers importers --data-root . 2>serve.log &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
port=
for _ in $(seq 1 100); do
  port=$(grep -o 'Listening on http://127.0.0.1:[0-9]*' serve.log | grep -o '[0-9]*$' || true)
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || { echo "api.sh: the server did not start; see $work/serve.log" >&2; exit 1; }
base=http://127.0.0.1:$port/api/v1/ingest

# Runs for the path parameters to find: uploads (one a dry run) and a trigger.
auth=(-H "Authorization: Bearer $token")
for dry in false false true; do
  curl -sf "${auth[@]}" -F "file=@examples/products.csv" -F "dry_run=$dry" "$base/upload/products" >/dev/null
done
curl -sf "${auth[@]}" -F "file=@examples/products.json" "$base/upload/products" >/dev/null
curl -sf "${auth[@]}" -X POST "$base/trigger/daily-products" >/dev/null
sleep 1

cat > schemathesis.toml <<'EOF'
[dictionaries.runs]
values = [1, 2, 3, 4, 5]

[dictionaries.importers]
values = ["products", "users", "daily-products"]

[dictionaries.triggerable]
values = ["daily-products"]

[parameters]
"path.ingestRun" = { dictionary = "runs", probability = 0.8 }
"path.importerSlug" = { dictionary = "importers", probability = 0.8 }

# Only importers with a filesystem or url source can be triggered; the others answer 422 by
# design (documented), which the schema cannot express.
[[operations]]
include-path = "/trigger/{importerSlug}"
parameters = { "path.importerSlug" = { dictionary = "triggerable", probability = 0.8 } }

# A retry of a run without failed rows is a documented 400 (as in the seed's API), whatever the
# request looks like.
[[operations]]
include-path = "/{ingestRun}/retry"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", 400, 401, 403, 404, 409, 429, "5xx"]

# An uploaded file is any bytes to the schema; one in a format the importer does not take is a
# documented 415, one its reader cannot read a documented 422.
# Negative cases are not checked here: in multipart/form-data every part is bytes, and some
# schema-violating values (an extra property whose value is an empty list, a number where a
# string is expected) reach the server as a valid form or vanish. The refusals of a form
# without `file`, with a bad `dry_run` or an unknown part are tested by APITests instead.
[[operations]]
include-path = "/upload/{importerSlug}"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", 401, 403, 404, 409, 415, 422, 429, "5xx"]
checks.negative_data_rejection.enabled = false
EOF

status=0
# Every check is on by default; `--checks all` would also override the per-operation settings.
st --config-file schemathesis.toml run "$base/openapi.json" -H "Authorization: Bearer $token" \
  --max-examples "$max_examples" --seed "${ST_SEED:-1}" || status=$?
echo "api.sh: server log and config in $work" >&2
exit "$status"
