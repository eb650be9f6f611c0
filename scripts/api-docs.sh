#!/usr/bin/env bash
# `npm run docs`: the API reference, from the TSDoc comments of the public
# entry points (the runtime, capabilities, the mock, the generator), written
# by TypeDoc to build/api/ (not committed; open build/api/index.html).
#
# TypeDoc drives the TypeScript compiler through its JavaScript API, which
# TypeScript 7 (the project's compiler, a native port) does not offer, and it
# accepts TypeScript 5.0-6.0 as its peer. So TypeDoc and TypeScript 6 live in
# scripts/api-docs/ with their own lockfile, installed on first use, instead of
# beside typescript 7 in the root package.json (npm cannot give one package
# two versions of the same peer).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$QAPI_TS_ROOT"

typedoc_dir=scripts/api-docs
if [ ! -f "$typedoc_dir/node_modules/typedoc/bin/typedoc" ]; then
  note "installing TypeDoc and TypeScript 6 into $typedoc_dir (npm ci)"
  (cd "$typedoc_dir" && npm ci --prefer-offline --no-audit --no-fund >/dev/null)
fi
note "writing the API reference to build/api/"
node "$typedoc_dir/node_modules/typedoc/bin/typedoc" --options "$typedoc_dir/typedoc.json" --logLevel Warn
[ -f build/api/index.html ] || die "TypeDoc wrote no build/api/index.html"
note "done: build/api/index.html"
