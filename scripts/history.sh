#!/usr/bin/env bash
# `npm run history`: rebuilds the version histories (generated/history/) and
# the per-SDK version modules (generated/<sdk>/versions.ts) from every
# snapshot: fetches the source releases the history merges and libvirt's
# recorded binaries if they are missing, builds, then runs `qapi-ts history`.
# `scripts/history.sh --check` changes nothing and fails when a committed file
# is stale (the test command does the same through test/tools/history/history-stale.test.ts).
#
# Usage: scripts/history.sh [--check]
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$QAPI_TS_ROOT/scripts/lib/build.sh"
cd "$QAPI_TS_ROOT"

# Every release the history covers (config.historyQemuVersions), from ../shared/qemu or Debian.
QAPI_TS_APT_SUITES="${QAPI_TS_APT_SUITES-bullseye trixie forky sid}" fetch_qemu_versions $QAPI_TS_HISTORY_QEMU_VERSIONS ||
  die "a QEMU release the history lists could not be fetched"
bash scripts/fetch-libvirt-caps.sh
build_project || die "the build has type errors"
node build/tools/cli/main.js history --cache "$QAPI_TS_CACHE" "$@"
# The committed SDKs carry their history (generated/<sdk>/history.ts): regenerate them from the new one.
bash scripts/generate.sh
