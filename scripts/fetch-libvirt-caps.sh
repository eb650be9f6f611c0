#!/usr/bin/env bash
# Puts the QEMU conversations that libvirt's test suite recorded from real QEMU
# binaries (tests/qemucapabilitiesdata/caps_<release>.<arch>.replies, each with
# query-version and the whole query-qmp-schema) under .cache/libvirt-caps/,
# where the version history (tools/history/), its tests and the diff read
# them. libvirt's files are LGPL/GPL: they stay in .cache/ (gitignored) and are
# never committed; only facts derived from them (names, releases) are.
#
# Usage: scripts/fetch-libvirt-caps.sh [--from DIR|TARBALL]
#   --from DIR|TARBALL   take the files from a libvirt tree or orig tarball
# Default source: Debian's source package `libvirt` $QAPI_TS_LIBVIRT_VERSION
# (default 9.0.0, bookworm) through `apt-get source`, with deb-src entries
# derived from this machine's apt sources (scripts/lib/apt-deb-src.sh).
# The cache is .cache/ in the repository, or $QAPI_TS_CACHE.
# Does nothing when the files are already in the cache.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$QAPI_TS_ROOT/scripts/lib/apt-deb-src.sh"
source "$QAPI_TS_ROOT/scripts/lib/apt-qemu-source.sh"

libvirt_version="${QAPI_TS_LIBVIRT_VERSION:-9.0.0}"
from=""
while [ $# -gt 0 ]; do
  case "$1" in
    --from) [ $# -ge 2 ] || die "--from needs a directory or tarball"; from="$2"; shift 2 ;;
    --from=*) from="${1#--from=}"; shift ;;
    -h|--help) sed -n '2,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done

dest="$QAPI_TS_CACHE/libvirt-caps"
# The marker names the libvirt release the files came from; it is written last.
if [ -f "$dest/LIBVIRT_VERSION" ] && ls "$dest"/caps_*.replies >/dev/null 2>&1; then
  note "libvirt $(cat "$dest/LIBVIRT_VERSION")'s QEMU recordings are already in ${dest#"$QAPI_TS_ROOT"/}"
  exit 0
fi

mkdir -p "$QAPI_TS_CACHE"
staging="$(mktemp -d "$QAPI_TS_CACHE/.staging-libvirt-XXXXXX")"
trap 'rm -rf "$staging"' EXIT

# Downloads libvirt's orig tarball into $1 and prints its path.
fetch_orig_tarball() {
  local into="$1" debian_version
  have apt-get || die "apt-get is not available; use --from DIR|TARBALL"
  apt_state="$QAPI_TS_CACHE/apt-src"
  apt_refresh_private_lists bookworm
  debian_version="$(apt_matching_source_version libvirt "$libvirt_version")"
  [ -n "$debian_version" ] ||
    die "no Debian source package 'libvirt' for libvirt $libvirt_version in the configured suites or bookworm; use --from DIR|TARBALL"
  note "downloading Debian source package libvirt $debian_version"
  mkdir -p "$into"
  (cd "$into" && private_apt apt-get source -q --download-only "libvirt=$debian_version" >"$apt_state/libvirt-source.log" 2>&1) ||
    die "apt-get source libvirt=$debian_version failed; see $apt_state/libvirt-source.log"
  local tarball
  tarball="$(ls "$into"/libvirt_*.orig.tar.* 2>/dev/null | head -n 1)"
  [ -n "$tarball" ] || die "apt-get source libvirt=$debian_version gave no orig tarball in $into"
  printf '%s\n' "$tarball"
}

# Extracts the recordings from tarball $1 into the staging tree and prints its path.
extract_tarball() {
  local tarball="$1" top
  note "extracting the QEMU recordings from ${tarball##*/}"
  top="$( (tar -tf "$tarball" 2>/dev/null || true) | head -n 1)"
  top="${top%%/*}"
  [ -n "$top" ] || die "cannot read $tarball as a tar archive"
  tar -xf "$tarball" -C "$staging" --wildcards "$top/tests/qemucapabilitiesdata/caps_*.replies" 2>"$staging/tar.log" ||
    die "$tarball has no $top/tests/qemucapabilitiesdata/caps_*.replies: $(head -n 3 "$staging/tar.log")"
  printf '%s\n' "$staging/$top"
}

if [ -n "$from" ]; then
  if [ -d "$from" ]; then tree="$(cd "$from" && pwd)"
  elif [ -f "$from" ]; then tree="$(extract_tarball "$from")"
  else die "--from $from: no such directory or file"
  fi
else
  tree="$(extract_tarball "$(fetch_orig_tarball "$staging/download")")"
fi

mkdir -p "$staging/out"
count=0
for f in "$tree"/tests/qemucapabilitiesdata/caps_*.replies; do
  [ -f "$f" ] || continue
  cp "$f" "$staging/out/"
  count=$((count + 1))
done
[ "$count" -gt 0 ] || die "$tree has no tests/qemucapabilitiesdata/caps_*.replies"
printf '%s\n' "$libvirt_version" >"$staging/out/LIBVIRT_VERSION"
chmod -R u+w "$staging/out"
rm -rf "$dest"
mv "$staging/out" "$dest"
note "$count QEMU recordings from libvirt $libvirt_version are in ${dest#"$QAPI_TS_ROOT"/}"
