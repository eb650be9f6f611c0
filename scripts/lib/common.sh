# Shared helpers for the scripts in scripts/: messages, failure, repository root.
# Sourced, never run; each script sets its own shell options.

# The repository root, whatever the caller's working directory.
QAPI_TS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export QAPI_TS_ROOT

# Where fetched and derived files go (gitignored); QAPI_TS_CACHE moves it.
QAPI_TS_CACHE="${QAPI_TS_CACHE:-$QAPI_TS_ROOT/.cache}"

# The QEMU version the committed SDKs are generated from, and every version the
# tests read: package.json's "config" is the one place they are written.
qapi_ts_config() { node -p "require('$QAPI_TS_ROOT/package.json').config.$1"; }
QAPI_TS_PINNED_QEMU="$(qapi_ts_config qemuVersion)"
QAPI_TS_TEST_QEMU_VERSIONS="$(qapi_ts_config testQemuVersions)"
# Releases the tests also read when they can be fetched (Debian's archive
# drops a point release once a newer one replaces it); tests skip the others.
QAPI_TS_OLDER_QEMU_VERSIONS="$(qapi_ts_config olderQemuVersions)"

# Name of the running script, for prefixes on messages.
qapi_ts_script="$(basename "$0" .sh)"

note() { printf '%s: %s\n' "$qapi_ts_script" "$*" >&2; }

die() {
  printf '%s: error: %s\n' "$qapi_ts_script" "$*" >&2
  exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }

# The QEMU releases the version history is built from (config.historyQemuVersions).
QAPI_TS_HISTORY_QEMU_VERSIONS="$(qapi_ts_config historyQemuVersions)"

# Fetches each QEMU version given (scripts/fetch-qemu.sh), skipping at once the
# ones already in the cache: the history lists 64 releases, and a fresh
# process per cached one would cost seconds on every test run.
fetch_qemu_versions() {
  local v
  for v in "$@"; do
    [ "$(cat "$QAPI_TS_CACHE/qemu/$v/VERSION" 2>/dev/null)" = "$v" ] &&
      [ -f "$QAPI_TS_CACHE/qemu/$v/qapi/qapi-schema.json" ] && continue
    bash "$QAPI_TS_ROOT/scripts/fetch-qemu.sh" "$v" || return 1
  done
}
