# Sourced by ./kiln and ./run-tests: finds a JDK >= 25, makes sure Maven is there, and knows how to
# install the Debian packages a suite needs. Prints what it does on stderr; fails with one sentence.

kiln_say() { echo "kiln: $*" >&2; }
kiln_die() { echo "kiln: $*" >&2; exit 1; }

# Major version of the JDK at $1, or nothing when it is not a JDK.
kiln_jdk_major() {
  local home=$1 v=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  fi
  echo "$v"
}

# Sets JAVA_HOME to a JDK >= 25: JAVA_HOME itself when new enough, else the newest under /usr/lib/jvm.
kiln_find_jdk() {
  local best="" best_v=0 v d
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(kiln_jdk_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then export JAVA_HOME; return 0; fi
  fi
  for d in /usr/lib/jvm/*; do
    [ -d "$d" ] || continue
    v=$(kiln_jdk_major "$d")
    if [ -n "$v" ] && [ "$v" -ge 25 ] && [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi
  done
  [ -n "$best" ] || kiln_die "no JDK 25 or newer found (checked JAVA_HOME and /usr/lib/jvm); install one, e.g. Temurin 25, and retry."
  export JAVA_HOME=$best
}

# Installs Debian packages that are missing (needs root or sudo, and apt).
kiln_apt_install() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || kiln_die "packages ${missing[*]} are missing and neither root nor sudo is available to install them."
    sudo=sudo
  fi
  kiln_say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq >&2 || kiln_die "apt-get update failed; cannot install ${missing[*]}."
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends \
    "${missing[@]}" >&2 || kiln_die "apt-get install ${missing[*]} failed."
}

kiln_ensure_maven() {
  command -v mvn >/dev/null || kiln_apt_install maven
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}

# The JVM encodes file names with the locale's character set (sun.jnu.encoding): under the C/POSIX
# locale that is ASCII, and a WASI program's non-ASCII path (paths are UTF-8 in WASI) cannot be
# opened. When no locale is chosen (or only C/POSIX), use C.UTF-8.
kiln_utf8_locale() {
  case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
    ""|C|POSIX) export LC_ALL=C.UTF-8;;
  esac
}

# A Python virtual environment at $1 with the wasmtime package (the oracle of the differential
# tests, which speak to it through tests/src/test/resources/fuzz/wasmtime_oracle.py).
KILN_WASMTIME_VERSION=49.0.0
kiln_ensure_wasmtime() {
  local venv=$1
  "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('wasmtime') != '$KILN_WASMTIME_VERSION')" \
    2>/dev/null && return 0
  if [ ! -x "$venv/bin/python" ]; then
    command -v python3 >/dev/null || kiln_apt_install python3 python3-venv
    python3 -m venv "$venv" 2>/dev/null \
      || { rm -rf "$venv"; kiln_apt_install python3-venv && /usr/bin/python3 -m venv "$venv"; } \
      || kiln_die "cannot create a Python virtual environment at $venv (Debian package python3-venv)."
  fi
  kiln_say "installing wasmtime==$KILN_WASMTIME_VERSION into $venv (the differential tests' oracle)"
  "$venv/bin/pip" install -q "wasmtime==$KILN_WASMTIME_VERSION" >&2 \
    || kiln_die "pip cannot install wasmtime==$KILN_WASMTIME_VERSION into $venv."
}
