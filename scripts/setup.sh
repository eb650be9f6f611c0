#!/usr/bin/env bash
# `npm run setup`, the project's main job: installs the npm dependencies,
# fetches the QEMU sources the SDKs and tests are built from (the pinned 10.2.2,
# and 7.2.0 for the compatibility tests), builds, regenerates the SDKs in
# generated/ from the pinned schema, rebuilds the version histories and the
# SDKs' versions.ts (scripts/history.sh, which fetches the other releases and
# libvirt's recordings; when one cannot be had, the committed histories stay),
# and builds again with them.
# Type errors are reported here and fail `npm test`, which builds again.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$QAPI_TS_ROOT/scripts/lib/build.sh"
cd "$QAPI_TS_ROOT"

note "installing npm dependencies (npm ci)"
npm ci --no-audit --no-fund

for version in $QAPI_TS_TEST_QEMU_VERSIONS; do bash scripts/fetch-qemu.sh "$version"; done

build_project || note "warning: the build has type errors (npm test fails on them)"

if [ -f scripts/generate.sh ]; then
  note "generating the SDKs (scripts/generate.sh)"
  bash scripts/generate.sh
  build_project || note "warning: the build has type errors (npm test fails on them)"
fi
note "rebuilding the version histories (scripts/history.sh)"
# The histories are committed: a machine that cannot fetch every listed release (no ../shared
# beside the checkout, and Debian's archive lacks the old ones) keeps them, and the tests that
# read those releases say which are missing.
bash scripts/history.sh ||
  note "warning: the version histories were not rebuilt (see above); the committed ones stay"
build_project || note "warning: the build has type errors (npm test fails on them)"
note "done"
