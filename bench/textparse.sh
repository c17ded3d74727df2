#!/usr/bin/env bash
# The text parser on the whole WebAssembly 3.0 suite (../shared/wasm-3.0-testsuite) in one JVM:
# every script lexed and split into commands, every text and quoted module parsed to a binary.
#   bench/textparse.sh [PASSES]     (default 5; the first pass is a fresh JVM's, the others warm)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
kiln_find_jdk
kiln_ensure_maven
mvn -q -B -ntp -DskipTests -f "$here/reactor/pom.xml" -pl :kiln-bench -am package >/dev/null
exec "$JAVA_HOME/bin/java" -cp "$here/target/kiln-bench.jar" dev.kiln.bench.TextParseBench "$root/../shared/wasm-3.0-testsuite" "${1:-5}"
