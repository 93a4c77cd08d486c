#!/usr/bin/env bash
# Builds the libFuzzer harnesses (cmake --preset fuzz: clang, AddressSanitizer, UBSan) and runs
# each for FUZZ_SECONDS (default 30) on its seed corpus in tests/fuzz/corpus/NAME, after
# replaying the crashers found so far (tests/fuzz/regressions/NAME). Fails on any crash, leak,
# timeout (10 s per input) or input using more than 2 GB. Prints executions per harness.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-30}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake --preset fuzz "${launcher[@]}" >/dev/null
cmake --build --preset fuzz -j2

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export LSAN_OPTIONS=suppressions=$PWD/.ci/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
work=$(mktemp -d /tmp/nightout-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
summary=build-fuzz/fuzz-summary.txt
: >"$summary"
total=0
failed=0
for corpus in tests/fuzz/corpus/*/; do
  name=$(basename "$corpus")
  fuzzer=build-fuzz/tests/fuzz/fuzz_$name
  regressions=tests/fuzz/regressions/$name
  if [[ -d $regressions ]] && compgen -G "$regressions/*" >/dev/null; then
    if ! "$fuzzer" -timeout=10 -rss_limit_mb=2048 "$regressions"/* >"$work/$name-regressions.log" 2>&1; then
      echo "fuzz: $name: a recorded crasher fails again:" >&2
      tail -40 "$work/$name-regressions.log" >&2
      failed=1
      continue
    fi
  fi
  mkdir -p "$work/$name"
  if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
       -artifact_prefix="$work/$name-" "$work/$name" "$corpus" >"$work/$name.log" 2>&1; then
    runs=$(grep -m1 'stat::number_of_executed_units' "$work/$name.log" | awk '{print $2}')
    echo "fuzz: $name: ${runs:-?} executions in ${seconds} s, no crash" | tee -a "$summary"
    total=$((total + ${runs:-0}))
  else
    echo "fuzz: $name: FAILED; the input is kept in tests/fuzz/found/" >&2
    mkdir -p tests/fuzz/found
    cp "$work/$name"-* tests/fuzz/found/ 2>/dev/null || true
    grep -m1 -A30 'ERROR: \|==ERROR\|deadly signal\|timeout after\|out-of-memory' "$work/$name.log" >&2 || tail -40 "$work/$name.log" >&2
    failed=1
  fi
done
echo "fuzz: $total executions in all" | tee -a "$summary"
exit $failed
