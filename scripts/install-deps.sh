#!/bin/sh
# install-deps.sh — installs the Debian packages ptsearch needs, only those
# missing (apt-get; as root, or through sudo).
set -eu
PACKAGES="build-essential cmake pkg-config python3
libxapian-dev xapian-tools libstemmer-dev zlib1g-dev libutf8proc-dev libjansson-dev
libgumbo-dev libcmark-dev libyaml-dev wordnet-dev wordnet-base libcmocka-dev libsqlite3-dev time clang libclang-rt-14-dev
valgrind groff-base
libmicrohttpd-dev curl chromium chromium-driver python3-selenium"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
