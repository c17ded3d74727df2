package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.runtime.HostFunction;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every function of {@code wasi_snapshot_preview1} is present with the core Wasm type that
 * wasi-libc imports it with (i = i32, I = i64; every function but proc_exit returns an i32 errno).
 */
class SignaturesTest {
    private static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("args_get", "ii"), Map.entry("args_sizes_get", "ii"),
            Map.entry("environ_get", "ii"), Map.entry("environ_sizes_get", "ii"),
            Map.entry("clock_res_get", "ii"), Map.entry("clock_time_get", "iIi"),
            Map.entry("fd_advise", "iIIi"), Map.entry("fd_allocate", "iII"), Map.entry("fd_close", "i"),
            Map.entry("fd_datasync", "i"), Map.entry("fd_fdstat_get", "ii"), Map.entry("fd_fdstat_set_flags", "ii"),
            Map.entry("fd_fdstat_set_rights", "iII"), Map.entry("fd_filestat_get", "ii"),
            Map.entry("fd_filestat_set_size", "iI"), Map.entry("fd_filestat_set_times", "iIIi"),
            Map.entry("fd_pread", "iiiIi"), Map.entry("fd_prestat_get", "ii"), Map.entry("fd_prestat_dir_name", "iii"),
            Map.entry("fd_pwrite", "iiiIi"), Map.entry("fd_read", "iiii"), Map.entry("fd_readdir", "iiiIi"),
            Map.entry("fd_renumber", "ii"), Map.entry("fd_seek", "iIii"), Map.entry("fd_sync", "i"),
            Map.entry("fd_tell", "ii"), Map.entry("fd_write", "iiii"),
            Map.entry("path_create_directory", "iii"), Map.entry("path_filestat_get", "iiiii"),
            Map.entry("path_filestat_set_times", "iiiiIIi"), Map.entry("path_link", "iiiiiii"),
            Map.entry("path_open", "iiiiiIIii"), Map.entry("path_readlink", "iiiiii"),
            Map.entry("path_remove_directory", "iii"), Map.entry("path_rename", "iiiiii"),
            Map.entry("path_symlink", "iiiii"), Map.entry("path_unlink_file", "iii"),
            Map.entry("poll_oneoff", "iiii"), Map.entry("proc_exit", "i"), Map.entry("proc_raise", "i"),
            Map.entry("sched_yield", ""), Map.entry("random_get", "ii"),
            Map.entry("sock_accept", "iii"), Map.entry("sock_recv", "iiiiii"), Map.entry("sock_send", "iiiii"),
            Map.entry("sock_shutdown", "ii")));

    @Test
    void everyFunctionHasItsExactType() {
        Map<String, String> actual = new TreeMap<>();
        try (WasiPreview1 wasi = new WasiPreview1(WasiConfig.builder().build())) {
            for (HostFunction f : wasi.hostFunctions()) {
                assertEquals(WasiFunctionSet.MODULE, f.module());
                actual.put(f.name(), f.type().toString());
            }
        }
        Map<String, String> expected = new TreeMap<>();
        EXPECTED.forEach((name, params) -> expected.put(name, type(params, !name.equals("proc_exit")).toString()));
        assertEquals(expected, actual);
        assertEquals(46, actual.size());
    }

    private static FuncType type(String params, boolean returnsErrno) {
        ValType[] p = params.chars().mapToObj(c -> c == 'i' ? ValType.I32 : ValType.I64).toArray(ValType[]::new);
        return new FuncType(p, returnsErrno ? new ValType[] {ValType.I32} : new ValType[0]);
    }
}
