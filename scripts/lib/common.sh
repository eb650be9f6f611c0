# Shared helpers for the scripts in scripts/: messages, failure, repository root.
# Sourced, never run; each script sets its own shell options.

# The repository root, whatever the caller's working directory.
QAPI_TS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export QAPI_TS_ROOT

# Where fetched and derived files go (gitignored); QAPI_TS_CACHE moves it.
QAPI_TS_CACHE="${QAPI_TS_CACHE:-$QAPI_TS_ROOT/.cache}"

# The QEMU version the committed SDKs are generated from (also in
# test/support/qemu-sources.ts), and every version the tests read.
QAPI_TS_PINNED_QEMU="10.2.2"
QAPI_TS_TEST_QEMU_VERSIONS="10.2.2 7.2.0"
# The other source releases the version history merges (generator/history/snapshots.ts).
QAPI_TS_HISTORY_QEMU_VERSIONS="10.0.13 5.2.0"

# Name of the running script, for prefixes on messages.
qapi_ts_script="$(basename "$0" .sh)"

note() { printf '%s: %s\n' "$qapi_ts_script" "$*" >&2; }

die() {
  printf '%s: error: %s\n' "$qapi_ts_script" "$*" >&2
  exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }
