#!/usr/bin/env bash
# `npm test`: every check CI makes, in order: QEMU's programs and Chromium (for
# the API reference's test) installed, QEMU sources fetched (10.2.2 and 7.2.0,
# and the history's older releases), libvirt's QEMU recordings fetched, a
# build that type-checks, generated SDKs
# that match the generator (scripts/generate.sh --check, once it exists), then
# node's test runner over every compiled test file build/test/**/*.test.js.
# Test files that start QEMU run after the others, one at a time, so that on a
# two-core machine a QEMU guest never competes with a parallel test.
# Exits non-zero when any check or test fails; all of them run regardless.
#
# Usage: scripts/test.sh [build/test/FILE.test.js ...]   (default: all)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$QAPI_TS_ROOT/scripts/lib/build.sh"
cd "$QAPI_TS_ROOT"

bash scripts/install-qemu.sh
bash scripts/install-chromium.sh
for version in $QAPI_TS_TEST_QEMU_VERSIONS; do bash scripts/fetch-qemu.sh "$version"; done
# The older source releases the version history merges (config.olderQemuVersions):
# a failed fetch fails the tests that need it with the missing version's name.
for version in $QAPI_TS_OLDER_QEMU_VERSIONS; do
  bash scripts/fetch-qemu.sh "$version" || note "warning: QEMU $version could not be fetched; the tests that read it say so"
done
# Every release the version history is built from (config.historyQemuVersions).
fetch_qemu_versions $QAPI_TS_HISTORY_QEMU_VERSIONS ||
  note "warning: some QEMU release of the history could not be fetched; the history tests say which"
# libvirt's recorded QEMU binaries, which the version history is checked against.
bash scripts/fetch-libvirt-caps.sh

failures=()
# Checks that are not tests count as one failed test each in the closing line.
check_failures=0
build_project || { failures+=("type check: tsc reported errors"); check_failures=$((check_failures + 1)); }
note "checking the hand-written code's layout (npm run format:check)"
npx prettier --check core generator tools runtime test bench scripts examples >/dev/null ||
  { failures+=("hand-written code is not in the committed prettier style: run npm run format"); check_failures=$((check_failures + 1)); }
if [ -f scripts/generate.sh ]; then
  note "checking the generated SDKs (scripts/generate.sh --check)"
  bash scripts/generate.sh --check ||
    { failures+=("generated SDKs are stale: run npm run setup and commit generated/"); check_failures=$((check_failures + 1)); }
fi

if [ $# -gt 0 ]; then
  test_files=("$@")
else
  # Compiled tests whose source still exists (build/ may hold removed ones).
  test_files=()
  while IFS= read -r f; do
    source_file="${f#build/}"
    [ -f "${source_file%.js}.ts" ] && test_files+=("$f")
  done < <(find build/test -type f -name '*.test.js' 2>/dev/null | sort)
fi
[ "${#test_files[@]}" -gt 0 ] || die "found no test files under build/test (did the build run?)"

# Test files that start QEMU's programs are named *.qemu.test.ts
# (test/support/qemu-test-names.test.ts keeps that naming true).
parallel=() serial=()
for f in "${test_files[@]}"; do
  case "$f" in *.qemu.test.js) serial+=("$f") ;; *) parallel+=("$f") ;; esac
done

# A hung test fails after this long instead of stalling CI (it is no timing assertion).
timeout_ms="${QAPI_TS_TEST_TIMEOUT_MS:-300000}"
# Each run's report is also kept, to add up the two runs' counts at the end.
reports="$(mktemp -d)"
trap 'rm -rf "$reports"' EXIT
run_tests() {
  local name="$1" concurrency="$2"; shift 2
  node --test --test-concurrency="$concurrency" --test-timeout="$timeout_ms" "$@" | tee "$reports/$name.tap"
}
if [ "${#parallel[@]}" -gt 0 ]; then
  note "running ${#parallel[@]} test files, ${QAPI_TS_TEST_CONCURRENCY:-2} at a time"
  run_tests parallel "${QAPI_TS_TEST_CONCURRENCY:-2}" "${parallel[@]}" || failures+=("tests failed (see the report above)")
fi
if [ "${#serial[@]}" -gt 0 ]; then
  note "running ${#serial[@]} test files that start QEMU, one at a time"
  run_tests qemu 1 "${serial[@]}" || failures+=("QEMU tests failed (see the report above)")
fi

# The runner's closing counts, summed over both runs (tests, not files).
count() { cat "$reports"/*.tap 2>/dev/null | awk -v key="# $1" '$1" "$2 == key { n += $3 } END { print n + 0 }'; }
passed="$(count pass)" failed="$(count fail)" cancelled="$(count cancelled)"
if [ "${#failures[@]}" -gt 0 ]; then
  printf '%s: FAILED: %s\n' "$qapi_ts_script" "${failures[@]}" >&2
fi
echo "test: $passed passed, $((failed + cancelled + check_failures)) failed"
[ "${#failures[@]}" -eq 0 ] || exit 1
