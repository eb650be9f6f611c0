#!/usr/bin/env bash
# `npm pack` / `npm publish` run this first (package.json "prepack"): a fresh
# build of what the package ships (build/{core,generator,tools,runtime,generated}), so
# that packing a clean clone gives a complete package whether or not it was
# built before, and packing an old checkout never ships stale compiled files.
# tsconfig.build.json is tsconfig.json without the tests and benchmarks, and
# without source maps (the package does not ship the sources they point at).
# The committed SDKs in generated/ are compiled as they are; QEMU's sources
# are not needed. Needs the dev dependencies (npm ci) for the compiler.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$QAPI_TS_ROOT"

[ -x node_modules/.bin/tsc ] || die "the TypeScript compiler is missing: run npm ci before npm pack"
rm -rf build/core build/generator build/tools build/runtime build/generated
note "building what the package ships (tsc -p tsconfig.build.json)"
npx --no-install tsc -p tsconfig.build.json || die "the build has type errors; not packing"
for entry in build/runtime/index.js build/tools/cli/main.js build/generated/qemu/index.js; do
  [ -f "$entry" ] || die "the build did not produce $entry"
done
