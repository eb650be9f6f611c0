#!/usr/bin/env bash
# Puts QEMU's QAPI sources for one version under .cache/qemu/VERSION/ (see
# scripts/lib/qemu-layout.sh for the layout), where the tests, the generator
# and the benchmark read them. QEMU's files are GPL: they stay in .cache/
# (gitignored) and are never committed.
#
# Usage: scripts/fetch-qemu.sh [VERSION] [--from DIR|TARBALL] [--with-python-frontend]
#   VERSION                 QEMU version, default the pinned one (scripts/lib/common.sh)
#   --from DIR|TARBALL      take the sources from a QEMU tree or release/orig tarball
#   --with-python-frontend  also require QEMU's Python front end (scripts/qapi/),
#                           which only the benchmark needs
# The cache is .cache/ in the repository, or $QAPI_TS_CACHE.
# Sources, first that applies: --from; ../shared/qemu/VERSION beside the
# repository (or $QAPI_TS_SHARED/qemu/VERSION), which has no scripts/qapi;
# Debian's source package `qemu` through `apt-get source`, with deb-src entries
# derived from this machine's apt sources (extra suites: $QAPI_TS_APT_SUITES,
# default "trixie forky sid", then $QAPI_TS_APT_OLDER_SUITES, default
# "bookworm-backports bullseye").
# Does nothing when the version is already in the cache.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$QAPI_TS_ROOT/scripts/lib/apt-deb-src.sh"
source "$QAPI_TS_ROOT/scripts/lib/apt-qemu-source.sh"
source "$QAPI_TS_ROOT/scripts/lib/qemu-layout.sh"

version="$QAPI_TS_PINNED_QEMU"
from=""
want_python=0
while [ $# -gt 0 ]; do
  case "$1" in
    --from) [ $# -ge 2 ] || die "--from needs a directory or tarball"; from="$2"; shift 2 ;;
    --from=*) from="${1#--from=}"; shift ;;
    --with-python-frontend) want_python=1; shift ;;
    -h|--help) sed -n '2,21s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) version="$1"; shift ;;
  esac
done
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "'$version' is not a QEMU version like 10.2.2"

cache="$QAPI_TS_CACHE/qemu"
dest="$cache/$version"
shared_root="${QAPI_TS_SHARED:-$QAPI_TS_ROOT/../shared}"
[ -d "$shared_root" ] && shared_root="$(cd "$shared_root" && pwd)"
shared="$shared_root/qemu/$version"

# A path as messages show it: relative to the repository when inside it.
shown() { printf '%s' "${1#"$QAPI_TS_ROOT"/}"; }
has_schema() { [ -f "$dest/qapi/qapi-schema.json" ] && [ "$(cat "$dest/VERSION" 2>/dev/null)" = "$version" ]; }
has_python() { [ -f "$dest/scripts/qapi/schema.py" ]; }

if has_schema && { [ "$want_python" = 0 ] || has_python; }; then
  note "QEMU $version is already in $(shown "$dest")"
  exit 0
fi

mkdir -p "$cache"
staging="$(mktemp -d "$cache/.staging-$version-XXXXXX")"
trap 'rm -rf "$staging"' EXIT

# Extracts the parts qapi-ts reads from a QEMU tarball $1 and prints the tree's path.
extract_tarball() {
  local tarball="$1" top
  note "extracting ${tarball##*/}"
  top="$( (tar -tf "$tarball" 2>/dev/null || true) | head -n 1)"
  top="${top%%/*}"
  [ -n "$top" ] || die "cannot read $tarball as a tar archive"
  tar -xf "$tarball" -C "$staging" "$top/VERSION" "$top/qapi" "$top/qga/qapi-schema.json" \
    "$top/storage-daemon/qapi" "$top/tests/qapi-schema" "$top/docs" "$top/scripts/qapi" \
    "$top/scripts/qapi-gen.py" 2>"$staging/tar.log" || true
  [ -f "$staging/$top/qapi/qapi-schema.json" ] ||
    die "$tarball has no $top/qapi/qapi-schema.json: $(head -n 3 "$staging/tar.log")"
  printf '%s\n' "$staging/$top"
}

# Where the sources come from, in order of preference.
tree=""
if [ -n "$from" ]; then
  if [ -d "$from" ]; then tree="$(cd "$from" && pwd)"
  elif [ -f "$from" ]; then tree="$(extract_tarball "$from")"
  else die "--from $from: no such directory or file"
  fi
elif [ -f "$shared/qapi/qapi-schema.json" ] && { [ "$want_python" = 0 ] || [ -d "$shared/scripts/qapi" ]; }; then
  note "copying QEMU $version from $shared"
  tree="$shared"
else
  [ "$want_python" = 1 ] && [ -d "$shared" ] && note "$shared has no Python front end; asking Debian's archive"
  tarball="$(apt_fetch_qemu_orig_tarball "$version" "$staging/download")"
  tree="$(extract_tarball "$tarball")"
fi

found="$(tr -d '[:space:]' <"$tree/VERSION" 2>/dev/null || true)"
[ -n "$found" ] || die "$tree has no VERSION file; cannot confirm it is QEMU $version"
[ "$found" = "$version" ] || die "$tree holds QEMU $found, not $version"

if has_schema; then
  # Only the Python front end was missing: add it to the copy already there.
  [ -d "$tree/scripts/qapi" ] || die "$tree has no scripts/qapi (QEMU's Python front end)"
  copy_qemu_python_frontend "$tree" "$dest"
  note "added QEMU $version's Python front end to $(shown "$dest")"
  exit 0
fi

copy_qemu_layout "$tree" "$staging/out"
printf '%s\n' "$version" >"$staging/out/VERSION"
[ "$want_python" = 0 ] || [ -d "$staging/out/scripts/qapi" ] ||
  die "$tree has no scripts/qapi (QEMU's Python front end)"
rm -rf "$dest"
mv "$staging/out" "$dest"
note "QEMU $version is in $(shown "$dest")$([ -d "$dest/scripts/qapi" ] && echo ' (with its Python front end)')"
