# Downloads the upstream ("orig") tarball of Debian's `qemu` source package for
# one QEMU version, using a private apt state under .cache/apt-src/ (source
# list, package lists, caches), so the system's apt configuration is untouched.
# The tarball's path goes back to fetch-qemu.sh, which extracts the schema.
# Sourced, never run; needs common.sh and apt-deb-src.sh.

# Upstream part of a Debian version, padded to three numbers: 1:7.2+dfsg-7 -> 7.2.0.
debian_to_upstream_version() {
  local v="$1"
  v="${v#*:}"       # epoch
  v="${v%-*}"       # Debian revision
  v="${v%%+*}"      # repack suffix (+dfsg, +ds)
  # A pre-release (10.0~rc1) keeps its marker, so it never equals a release.
  while [[ "$v" != *"~"* ]] && [ "$(printf '%s' "$v" | tr -cd . | wc -c)" -lt 2 ]; do v="$v.0"; done
  printf '%s\n' "$v"
}

# apt-get/apt-cache with the private state in "$apt_state".
private_apt() {
  local tool="$1"; shift
  "$tool" -o Dir::Etc::SourceList="$apt_state/sources.list" \
    -o Dir::Etc::SourceParts="$apt_state/sources.list.d" \
    -o Dir::State::Lists="$apt_state/lists" \
    -o Dir::Cache="$apt_state/cache" \
    -o Dir::Cache::archives="$apt_state/cache/archives" \
    -o APT::Sandbox::User=root \
    -o Debug::NoLocking=1 \
    "$@"
}

# Highest Debian version of source package $1 (qemu, libvirt) whose upstream
# part is $2, from the private lists; empty when none.
apt_matching_source_version() {
  local package="$1" wanted="$2" best="" v
  while read -r v; do
    [ "$(debian_to_upstream_version "$v")" = "$wanted" ] || continue
    if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then best="$v"; fi
  done < <(private_apt apt-cache showsrc "$package" 2>/dev/null | sed -n 's/^Version: //p')
  printf '%s' "$best"
}

# SHA-256 that the private source index lists for file $2 of source package
# `qemu` version $1; empty when it lists none.
apt_listed_sha256() {
  private_apt apt-cache showsrc qemu 2>/dev/null | awk -v version="$1" -v file="$2" '
    /^$/ { v = ""; inside = 0; next }
    /^Version: / { v = $2 }
    /^[^ ]/ { inside = ($1 == "Checksums-Sha256:"); next }
    inside && v == version && $3 == file { print $1; exit }'
}

# Refreshes the private lists for the configured suites plus the suites in "$@".
apt_refresh_private_lists() {
  mkdir -p "$apt_state/lists/partial" "$apt_state/cache/archives/partial" "$apt_state/sources.list.d"
  apt_deb_src_list "$@" >"$apt_state/sources.list" ||
    die "found no 'deb' entries in the machine's apt sources to derive 'deb-src' entries from"
  note "reading source package lists ($(awk '{print $(NF-1)}' "$apt_state/sources.list" | sort -u | tr '\n' ' '))"
  # A suite an archive does not serve makes `update` fail, but the others are
  # still read; whether the wanted version turned up is checked afterwards.
  private_apt apt-get update -q >"$apt_state/update.log" 2>&1 ||
    note "apt-get update reported problems (see $apt_state/update.log); carrying on with what it read"
}

# Downloads the orig tarball for QEMU version $1 into directory $2 and prints its path.
# Tries the configured suites first, then the newer suites from
# QAPI_TS_APT_SUITES (default: trixie, forky, sid), then the older ones from
# QAPI_TS_APT_OLDER_SUITES (default: bookworm-backports, bullseye), so that
# both newer and older releases than the machine's own are found.
apt_fetch_qemu_orig_tarball() {
  local version="$1" into="$2" debian_version="" extra older
  have apt-get || die "apt-get is not available; use --from DIR|TARBALL"
  apt_state="$QAPI_TS_CACHE/apt-src"
  extra="${QAPI_TS_APT_SUITES-trixie forky sid}"
  older="${QAPI_TS_APT_OLDER_SUITES-bookworm-backports bullseye}"

  apt_refresh_private_lists
  debian_version="$(apt_matching_source_version qemu "$version")"
  if [ -z "$debian_version" ] && [ -n "$extra" ]; then
    note "QEMU $version is not in the configured suites; trying: $extra"
    apt_refresh_private_lists $extra
    debian_version="$(apt_matching_source_version qemu "$version")"
  fi
  if [ -z "$debian_version" ] && [ -n "$older" ]; then
    note "QEMU $version is not in the newer suites either; trying older ones: $older"
    apt_refresh_private_lists $extra $older
    debian_version="$(apt_matching_source_version qemu "$version")"
  fi
  if [ -z "$debian_version" ]; then
    local offered
    offered="$(private_apt apt-cache showsrc qemu 2>/dev/null | sed -n 's/^Version: //p' | sort -u | tr '\n' ' ')"
    die "no Debian source package 'qemu' for QEMU $version (offered: ${offered:-none}); set QAPI_TS_APT_SUITES or QAPI_TS_APT_OLDER_SUITES to other suites, or use --from DIR|TARBALL"
  fi

  note "downloading Debian source package qemu $debian_version"
  mkdir -p "$into"
  local tarball
  if ! (cd "$into" && private_apt apt-get source -q --download-only "qemu=$debian_version" >"$apt_state/source.log" 2>&1); then
    # Only the orig tarball is needed, and the archive may lack the package's
    # other files (seen for a backport): a tarball whose SHA-256 is the one
    # the source index lists will do.
    tarball="$(ls "$into"/qemu_*.orig.tar.* 2>/dev/null | head -n 1)"
    [ -n "$tarball" ] || die "apt-get source qemu=$debian_version failed; see $apt_state/source.log"
    local listed actual
    listed="$(apt_listed_sha256 "$debian_version" "${tarball##*/}")"
    actual="$(sha256sum "$tarball" | cut -d' ' -f1)"
    [ -n "$listed" ] && [ "$listed" = "$actual" ] ||
      die "apt-get source qemu=$debian_version failed (see $apt_state/source.log), and ${tarball##*/} does not match the index's SHA-256"
    note "apt-get source qemu=$debian_version could not fetch every file (see $apt_state/source.log); the orig tarball is there and matches the index's SHA-256"
  fi
  tarball="$(ls "$into"/qemu_*.orig.tar.* 2>/dev/null | head -n 1)"
  [ -n "$tarball" ] || die "apt-get source qemu=$debian_version gave no orig tarball in $into"
  printf '%s\n' "$tarball"
}
