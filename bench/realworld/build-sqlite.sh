#!/usr/bin/env bash
# Builds bench/results/wasm/sqlite.wasm: SQLite's amalgamation from the better-sqlite3 npm package
# (fetched with `npm pack` into bench/results/build/sqlite, never committed), compiled with clang for
# wasm32-wasi (Debian's clang, lld, wasi-libc, libclang-rt-14-dev-wasm32) with sqlite_bench.c as its
# driver: exports run(i32) -> i32, imports nothing.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
bench=$(dirname "$here")
. "$(dirname "$bench")/scripts/env.sh"
out=$bench/results/wasm/sqlite.wasm
src=$bench/results/build/sqlite
[ -f "$out" ] && [ "$out" -nt "$here/sqlite_bench.c" ] && exit 0
kiln_apt_install clang lld wasi-libc libclang-rt-14-dev-wasm32
command -v npm >/dev/null || kiln_apt_install npm
mkdir -p "$src" "$(dirname "$out")"
if [ ! -f "$src/package/deps/sqlite3/sqlite3.c" ]; then
  (cd "$src" && npm pack --silent better-sqlite3@12.11.1 >/dev/null && tar xzf better-sqlite3-12.11.1.tgz)
fi
clang --target=wasm32-wasi -O2 -mexec-model=reactor -Wl,--no-entry -Wl,--export=run \
  -DSQLITE_OS_OTHER=1 -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_TEMP_STORE=3 \
  -DSQLITE_DEFAULT_MEMSTATUS=0 -DSQLITE_OMIT_SHARED_CACHE -DSQLITE_OMIT_WAL -DSQLITE_OMIT_LOCALTIME \
  -DSQLITE_OMIT_DEPRECATED -DSQLITE_DQS=0 \
  -I"$src/package/deps/sqlite3" -o "$out" "$here/sqlite_bench.c" "$src/package/deps/sqlite3/sqlite3.c"
