#!/usr/bin/env bash
# Makes sure a headless-capable Chromium is installed, for the test that opens
# the API reference (test/docs/api-reference.test.ts). Does nothing when one
# is present; otherwise installs Debian's chromium package with apt-get (needs
# root, or sudo without a password). A sibling of install-qemu.sh.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

for program in chromium chromium-browser; do
  if have "$program"; then
    note "Chromium is installed ($program)"
    exit 0
  fi
done

have apt-get || die "Chromium is missing and there is no apt-get to install it"
as_root=()
if [ "$(id -u)" != 0 ]; then
  have sudo || die "installing Chromium needs root"
  as_root=(sudo -n)
fi
export DEBIAN_FRONTEND=noninteractive
note "apt-get update"
"${as_root[@]}" apt-get update -q >/dev/null
note "installing chromium"
"${as_root[@]}" apt-get install -y -q --no-install-recommends chromium >/dev/null
have chromium || die "chromium is still missing after installing it"
note "Chromium is installed"
