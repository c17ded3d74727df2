#!/usr/bin/env bash
# Stack-slot traffic in kiln's x86-64 code for a module: kiln compiles it into a fresh cache, objdump
# disassembles the object (Intel syntax), and instructions are counted by pattern: all, those reading a
# frame slot ([rbp-…] as a source operand, or read-modify-write), those writing one ([rbp-…] as the
# destination; both for read-modify-write), and mov-family instructions. The figure splitting and spill-placement changes are judged by.
#   bench/slots.sh MODULE.wasm         (env: KILN_JAR, default cli/target/kiln.jar; BEFORE=other.jar adds a row)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
kiln_find_jdk
[ $# = 1 ] || kiln_die "usage: bench/slots.sh MODULE.wasm"
jar=${KILN_JAR:-$root/cli/target/kiln.jar}; [ -f "$jar" ] || "$root/kiln" --help >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
count() { # label jar
  rm -rf "$work/cache"
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$2" dev.kiln.cli.Main compile --cache-dir "$work/cache" "$module" >/dev/null
  objdump -d -M intel --no-show-raw-insn "$(ls "$work"/cache/*.o | head -1)" | awk -v label="$1" '
    /^ *[0-9a-f]+:\t/ {
      split($0, f, "\t"); ins = f[2]; op = ins; sub(/ .*/, "", op)
      if (op == "int3" || op == "(bad)") next  # padding between functions, data (jump tables) read as code
      n++
      rest = ins; sub(/^[^ ]+ +/, "", rest)
      dest = rest; sub(/,.*/, "", dest)
      if (dest ~ /\[rbp-/ && op ~ /^(cmp|test|v?u?comis|bt$|push)/) reads++
      else if (dest ~ /\[rbp-/) { writes++; if (op !~ /^(v?mov|set)/) reads++ }
      else if (rest ~ /\[rbp-/) reads++
      if (op ~ /^v?mov/) moves++
    }
    END { printf "%-8s %12d %12d %12d %12d\n", label, n, reads, writes, moves }'
}
module=$1
printf "%-8s %12s %12s %12s %12s\n" build instructions "slot reads" "slot writes" moves
[ -n "${BEFORE:-}" ] && count before "$BEFORE"
count kiln "$jar"
