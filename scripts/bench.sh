#!/usr/bin/env bash
# `npm run bench`: builds, makes QEMU's Python front end available for the
# comparisons (fetching it is allowed to fail: the benchmarks then skip those
# rows), and runs every compiled benchmark build/bench/*.bench.js in turn, one
# process each, so they never compete for the two cores.
#
# Usage: scripts/bench.sh [build/bench/NAME.bench.js ...]   (default: all)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$QAPI_TS_ROOT/scripts/lib/build.sh"
cd "$QAPI_TS_ROOT"

build_project || note "warning: the build has type errors; benchmarking what was emitted"
for version in $QAPI_TS_TEST_QEMU_VERSIONS; do
  bash scripts/fetch-qemu.sh "$version" --with-python-frontend ||
    bash scripts/fetch-qemu.sh "$version" ||
    note "warning: no QEMU $version sources; benchmarks that need them skip"
done

if [ $# -gt 0 ]; then benches=("$@"); else
  benches=()
  # Compiled benchmarks whose source still exists (build/ may hold removed ones).
  while IFS= read -r f; do
    source_file="${f#build/}"
    [ -f "${source_file%.js}.ts" ] && benches+=("$f")
  done < <(find build/bench -maxdepth 1 -type f -name '*.bench.js' 2>/dev/null | sort)
fi
[ "${#benches[@]}" -gt 0 ] || die "found no benchmarks (build/bench/*.bench.js)"

failed=()
for bench in "${benches[@]}"; do
  note "== $bench"
  node "$bench" || failed+=("$bench")
done
[ "${#failed[@]}" -eq 0 ] || die "benchmarks failed: ${failed[*]}"
