#!/usr/bin/env bash
# Prints the path of a `java` that runs an AArch64 JDK 25, for the aarch64 test suite (surefire's
# <jvm>, see tests/pom.xml, profile aarch64). On an AArch64 host that is the host's own JDK. On an
# x86-64 host it is a wrapper that runs Debian's arm64 OpenJDK under QEMU user-mode emulation,
# built once and cached: later runs only check it (a few seconds).
#
#   scripts/arm64-jdk.sh [--rebuild]
#   env: KILN_ARM64_HOME (cache directory, default ${XDG_CACHE_HOME:-~/.cache}/kiln-arm64),
#        KILN_ARM64_SUITE (Debian suite, default trixie), KILN_ARM64_MIRROR (default: the host's Debian mirror),
#        QEMU_CPU (read by the wrapper at run time, default neoverse-n1)
#
# How (after ../shared/tools/setup-arm64-jdk.sh): a private APT configuration under the cache
# directory (the host's apt sources, lists, dpkg database and architectures are never touched)
# downloads the .debs of openjdk-25-jre-headless and its shared libraries for arm64, and unpacks them
# into a sysroot with no maintainer scripts. It also takes the suite's qemu-user for amd64 (QEMU 10, a
# static binary) instead of the host's qemu-user-static: bookworm's QEMU 7.2 keeps ~48 MiB of page
# descriptors for every 8 GiB reservation ever mapped, and every linear memory kiln creates is one,
# so a long test run would exhaust memory. The neoverse-n1 CPU (v8.2 + LSE, no pointer
# authentication) avoids the slow emulation of PAC that QEMU's default "max" CPU would bring.
# Progress goes to stderr; stdout is only the path.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$root/scripts/env.sh"

STAMP_VERSION="kiln-arm64 v1: openjdk-25-jre-headless + qemu-user (amd64) from ${KILN_ARM64_SUITE:-trixie}"

case "$(uname -m)" in
  aarch64|arm64)
    kiln_find_jdk
    echo "$JAVA_HOME/bin/java"
    exit 0;;
  x86_64|amd64) ;;
  *) kiln_die "the aarch64 suite runs on x86-64 hosts (under QEMU) or AArch64 hosts, not on $(uname -m).";;
esac

W=$(realpath -m "${KILN_ARM64_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/kiln-arm64}")
wrapper=$W/qjava/bin/java
if [ "${1:-}" != "--rebuild" ] && [ -f "$W/stamp" ] && [ "$(cat "$W/stamp")" = "$STAMP_VERSION" ] \
   && "$wrapper" -version >/dev/null 2>&1; then
  echo "$wrapper"
  exit 0
fi

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
  || kiln_die "building the AArch64 JDK needs apt-get and dpkg-deb (a Debian-based host)."
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || kiln_apt_install debian-archive-keyring
SUITE=${KILN_ARM64_SUITE:-trixie}
MIRROR=${KILN_ARM64_MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
  | grep -oE 'https?://[^ ]+/debian/?$' | head -1 || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
kiln_say "building an AArch64 JDK 25 for QEMU in $W (Debian $SUITE from $MIRROR; once) ..."

# private APT configuration: arm64 for the JDK, amd64 for QEMU; own lists, cache and empty dpkg status
A=$W/apt
rm -rf "$A"
mkdir -p "$A/etc/apt/sources.list.d" "$A/etc/apt/preferences.d" "$A/etc/apt/apt.conf.d" "$A/state/lists/partial" \
  "$A/cache/archives/partial"
: > "$A/status"
echo "deb [arch=arm64,amd64 signed-by=$keyring] $MIRROR $SUITE main" > "$A/etc/apt/sources.list"
cat > "$A/apt.conf" <<CONF
Dir::Etc "$A/etc/apt"; Dir::Etc::sourcelist "$A/etc/apt/sources.list"; Dir::Etc::sourceparts "$A/etc/apt/sources.list.d";
Dir::Etc::parts "$A/etc/apt/apt.conf.d"; Dir::Etc::preferencesparts "$A/etc/apt/preferences.d";
Dir::State "$A/state"; Dir::State::lists "$A/state/lists"; Dir::State::status "$A/status"; Dir::Cache "$A/cache";
APT::Architecture "amd64"; APT::Architectures { "amd64"; "arm64"; }; APT::Sandbox::User "root";
CONF
export APT_CONFIG=$A/apt.conf
apt-get update -qq >&2 || kiln_die "apt-get update failed for $MIRROR $SUITE (network? proxy: add Acquire::http::Proxy to $A/apt.conf)."
rm -rf "$W/debs" && mkdir -p "$W/debs"
# the NEEDED closure of bin/java, libjvm.so and libjava/zip/nio/net, plus QEMU
(cd "$W/debs" && apt-get download -qq openjdk-25-jre-headless:arm64 libc6:arm64 libgcc-s1:arm64 libstdc++6:arm64 \
  zlib1g:arm64 qemu-user:amd64 >&2) || kiln_die "downloading the arm64 JDK and QEMU packages failed."

# sysroot (no maintainer scripts); trixie is merged-/usr, PT_INTERP is /lib/ld-linux-aarch64.so.1
S=$W/sysroot
rm -rf "$S" && mkdir -p "$S"
for d in "$W"/debs/*_arm64.deb; do dpkg-deb -x "$d" "$S"; done
ln -sfn usr/lib "$S/lib"
# qemu -L remaps only paths the guest passes to system calls, not absolute symlink targets (e.g.
# conf/security/java.security -> /etc/java-25-openjdk/...), so make them relative
find "$S" -type l -lname '/*' | while read -r l; do
  ln -sfn "$(realpath -m --relative-to="$(dirname "$l")" "$S$(readlink "$l")")" "$l"
done
JH=$(find "$S/usr/lib/jvm" -maxdepth 1 -type d -name 'java-*-openjdk-arm64' | head -1)
[ -n "$JH" ] && [ -x "$JH/bin/java" ] || kiln_die "the arm64 JDK did not unpack as expected (no $S/usr/lib/jvm/java-*-openjdk-arm64)."

rm -rf "$W/qemu" && mkdir -p "$W/qemu/x" "$W/bin"
dpkg-deb -x "$(ls "$W"/debs/qemu-user_*_amd64.deb | head -1)" "$W/qemu/x"
cp "$W/qemu/x/usr/bin/qemu-aarch64" "$W/bin/qemu-aarch64"
rm -rf "$W/qemu"
"$W/bin/qemu-aarch64" --version >/dev/null || kiln_die "$W/bin/qemu-aarch64 does not run on this host."

mkdir -p "$W/qjava/bin"
cp "$JH/release" "$W/qjava/release" # surefire reads <jvm>/../../release for the version
cat > "$wrapper" <<WRAP
#!/bin/sh
# AArch64 JDK 25 under QEMU user-mode emulation (made by kiln's scripts/arm64-jdk.sh)
exec "$W/bin/qemu-aarch64" -cpu "\${QEMU_CPU:-neoverse-n1}" -L "$S" "$JH/bin/java" "\$@"
WRAP
chmod +x "$wrapper"
"$wrapper" -version >&2 || kiln_die "the AArch64 JDK does not start under QEMU ($wrapper)."
rm -rf "$W/debs"
echo "$STAMP_VERSION" > "$W/stamp"
kiln_say "AArch64 JDK ready: $wrapper"
echo "$wrapper"
