#!/usr/bin/env bash
# Builds the libFuzzer targets and runs them. See Fuzz/README.md.
#
#   Fuzz/run.sh                    every target, 600 s each, one after the other
#   Fuzz/run.sh TARGET [SECONDS]   one target (default 600 s); SECONDS=0 only replays its corpus
#   Fuzz/run.sh build [TARGET]     build only
#   Fuzz/run.sh list               the target names
#
# Each target is one executable built with `swiftc -sanitize=fuzzer,address`: the library
# modules it needs are compiled from Sources/ (with -enable-testing, so the harness can use
# internal types), then linked with the harness from Tests/*/Fuzz/ and the entry in
# Fuzz/Targets/. Everything built or grown goes under Fuzz/.build/ (ignored by git): the
# working corpus Fuzz/.build/corpus/TARGET starts from the committed seeds in
# Fuzz/Corpus/TARGET, and crashes are written to Fuzz/.build/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(http-head chunked multipart csv json xlsx xlsx-sheet definition regex)
build_root=Fuzz/.build
modules_dir=$build_root/modules
flags=(-swift-version 6 -package-name Ingest -parse-as-library -O -g -sanitize=fuzzer,address -I "$modules_dir" -I Sources/CZlib)

# target -> library modules (in dependency order), harness file, libFuzzer -max_len
modules_of() {
  case "$1" in
    http-head|chunked|multipart) echo "IngestSupport HTTP" ;;
    csv|json|xlsx|xlsx-sheet) echo "IngestSupport Tabular" ;;
    definition) echo "IngestSupport RegexEngine Definitions" ;;
    regex) echo "RegexEngine" ;;
    *) return 1 ;;
  esac
}
harness_of() {
  case "$1" in
    http-head|chunked|multipart) echo Tests/HTTPTests/Fuzz/HTTPFuzzHarnesses.swift ;;
    csv|json|xlsx|xlsx-sheet) echo Tests/TabularTests/Fuzz/TabularFuzzHarnesses.swift ;;
    definition) echo Tests/DefinitionsTests/Fuzz/DefinitionFuzzHarness.swift ;;
    regex) echo Tests/RegexEngineTests/Fuzz/RegexFuzzHarness.swift ;;
  esac
}
max_len_of() {
  case "$1" in
    http-head|chunked) echo 1024 ;;
    multipart|definition) echo 4096 ;;
    regex) echo 512 ;;
    csv|json) echo 4096 ;;
    xlsx|xlsx-sheet) echo 16384 ;;
  esac
}

# Compiles Sources/MODULE into one object and a module file, unless both are newer than its sources.
build_module() {
  local module=$1 object=$modules_dir/$1.o
  local sources
  mapfile -t sources < <(find "Sources/$module" -name '*.swift' | sort)
  if [[ -f $object && -z $(find "Sources/$module" -name '*.swift' -newer "$object") ]]; then return; fi
  echo "fuzz: compiling module $module" >&2
  swiftc "${flags[@]}" -enable-testing -module-name "$module" -wmo -c "${sources[@]}" \
    -emit-module -emit-module-path "$modules_dir/$module.swiftmodule" -o "$object"
}

build_target() {
  local target=$1 module objects=() binary=$build_root/bin/$1
  local modules
  modules=$(modules_of "$target") || { echo "fuzz: unknown target '$target' (try: ${targets[*]})" >&2; exit 64; }
  mkdir -p "$modules_dir" "$build_root/bin"
  for module in $modules; do
    build_module "$module"
    objects+=("$modules_dir/$module.o")
  done
  echo "fuzz: linking $binary" >&2
  # ld.gold warns about local ASan symbols it cannot export; the warnings are harmless.
  swiftc "${flags[@]}" -module-name FuzzTarget Fuzz/Targets/FuzzSupport.swift "Fuzz/Targets/$target.swift" \
    "$(harness_of "$target")" "${objects[@]}" -lz -o "$binary" 2> >(grep -v 'Cannot export local symbol' >&2)
}

run_target() {
  local target=$1 seconds=$2 binary=$build_root/bin/$1
  local corpus=$build_root/corpus/$target artifacts=$build_root/artifacts/$target
  mkdir -p "$corpus" "$artifacts"
  local options=(-max_len="$(max_len_of "$target")" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/")
  [[ -f Fuzz/Dictionaries/$target.dict ]] && options+=(-dict="Fuzz/Dictionaries/$target.dict")
  # symbolize=0 and no Swift backtracer: with either, a crash hangs instead of exiting.
  # The regex target's character-class tables are lazily initialised statics that Swift
  # reaches through tagged (spare-bit) references, which LeakSanitizer cannot follow: it
  # reports their one-time initialisation as a leak. Its memory stays bounded by -rss_limit_mb.
  local leaks=1
  [[ $target == regex ]] && leaks=0
  local asan=${ASAN_OPTIONS:-symbolize=0:detect_leaks=$leaks}
  export SWIFT_BACKTRACE=enable=no
  if [[ $seconds == 0 ]]; then
    ASAN_OPTIONS=$asan "$binary" "${options[@]}" -runs=0 "Fuzz/Corpus/$target"
  else
    ASAN_OPTIONS=$asan "$binary" "${options[@]}" -max_total_time="$seconds" -print_final_stats=1 "$corpus" "Fuzz/Corpus/$target"
  fi
}

case "${1:-all}" in
  list) printf '%s\n' "${targets[@]}" ;;
  build)
    for target in ${2:-${targets[*]}}; do build_target "$target"; done ;;
  all)
    for target in "${targets[@]}"; do build_target "$target"; run_target "$target" "${2:-600}"; done ;;
  *)
    build_target "$1"
    run_target "$1" "${2:-600}" ;;
esac
