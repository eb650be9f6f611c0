#!/usr/bin/env bash
# Regenerates the committed SDKs in generated/ from the pinned QEMU schema
# (.cache/qemu/$QAPI_TS_PINNED_QEMU, fetched by scripts/fetch-qemu.sh): generated/qemu
# (QMP), generated/qga (guest agent), generated/qsd (storage daemon), with
# fact-only docs (with the release each command, event and member first
# appeared in, from generated/history/<sdk>.json) and the runtime imported
# relatively. Called by the set-up
# command; `scripts/generate.sh --check` (run by the test command) changes
# nothing and fails when a committed file differs from what the generator makes.
#
# Usage: scripts/generate.sh [--check]
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$QAPI_TS_ROOT"

version="$QAPI_TS_PINNED_QEMU"
src=".cache/qemu/$version"
[ -f "$src/qapi/qapi-schema.json" ] || die "QEMU $version sources are missing in $src; run: npm run fetch-qemu -- $version"
[ -f build/tools/cli/main.js ] || die "the generator is not built; run: npm run build"

check=()
[ "${1:-}" = "--check" ] && check=(--check)

status=0
gen() { # NAME SCHEMA(relative to the QEMU tree) REFERENCE [extra options]
  local name="$1" schema="$2" reference="$3"; shift 3
  node build/tools/cli/main.js generate --schema "$src/$schema" --out "generated/$name" --name "$name" \
    --docs facts --runtime-import ../../runtime/index.js --qemu-version "$version" \
    --source-label "QEMU $version $schema" --reference "$reference" --history "generated/history/$name.json" "${check[@]}" "$@" || status=1
}
gen qemu qapi/qapi-schema.json qmp
gen qga qga/qapi-schema.json qga --protocol qga
gen qsd storage-daemon/qapi/qapi-schema.json qsd
exit $status
