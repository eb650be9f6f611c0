#!/usr/bin/env bash
# Makes sure the QEMU programs the integration tests start are installed:
# qemu-system-x86_64, qemu-img, qemu-ga and qemu-storage-daemon, from Debian's
# packages, and tmux, the terminal the shell's tests (test/tools/shell/) type into.
# Does nothing when all are present; otherwise installs the missing packages
# with apt-get (needs root, or sudo without a password).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

# Also look where Debian puts daemons, in case PATH lacks the sbin directories.
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

missing=()
have qemu-system-x86_64 || missing+=(qemu-system-x86)
have qemu-img || missing+=(qemu-utils)
have qemu-ga || missing+=(qemu-guest-agent)
have tmux || missing+=(tmux)
storage_daemon_missing=0
have qemu-storage-daemon || storage_daemon_missing=1

if [ "${#missing[@]}" -eq 0 ] && [ "$storage_daemon_missing" = 0 ]; then
  note "QEMU programs are installed"
  exit 0
fi

have apt-get || die "missing QEMU programs (packages: ${missing[*]:-} qemu-storage-daemon) and no apt-get to install them"
as_root=()
if [ "$(id -u)" != 0 ]; then
  have sudo || die "installing ${missing[*]:-qemu-storage-daemon} needs root"
  as_root=(sudo -n)
fi

export DEBIAN_FRONTEND=noninteractive
note "apt-get update"
"${as_root[@]}" apt-get update -q >/dev/null
if [ "$storage_daemon_missing" = 1 ]; then
  # Debian ships qemu-storage-daemon in qemu-system-common up to bookworm and
  # in a package of its own in later releases: ask which this archive has.
  if apt-cache show qemu-storage-daemon >/dev/null 2>&1; then
    missing+=(qemu-storage-daemon)
  else
    missing+=(qemu-system-common)
  fi
fi
note "installing ${missing[*]}"
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null

for program in qemu-system-x86_64 qemu-img qemu-ga qemu-storage-daemon tmux; do
  have "$program" || die "$program is still missing after installing ${missing[*]}"
done
note "QEMU programs are installed"
