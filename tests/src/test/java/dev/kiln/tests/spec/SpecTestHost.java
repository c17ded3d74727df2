package dev.kiln.tests.spec;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.WasmModule;
import dev.kiln.frontend.testing.Wat;

/**
 * The {@code spectest} host module the spec suite imports: print functions that do nothing,
 * globals of 666 (666.6 for the floats, as the reference interpreter has them), a funcref table
 * of 10..20 elements and a memory of 1..2 pages. The table, memory and globals come from a small
 * Wasm module exporting them, so they are ordinary instance exports.
 */
final class SpecTestHost {
    private static final byte[] STATE = Wat.compile("""
            (module
              (global (export "global_i32") i32 (i32.const 666))
              (global (export "global_i64") i64 (i64.const 666))
              (global (export "global_f32") f32 (f32.const 666.6))
              (global (export "global_f64") f64 (f64.const 666.6))
              (table (export "table") 10 20 funcref)
              (memory (export "memory") 1 2))
            """);

    private SpecTestHost() {
    }

    static void define(Store store, Imports imports) {
        Instance state = store.instantiate(WasmModule.of(STATE, "spectest"), new Imports());
        imports.defineInstance("spectest", state);
        print(store, imports, "print");
        print(store, imports, "print_i32", ValType.I32);
        print(store, imports, "print_i64", ValType.I64);
        print(store, imports, "print_f32", ValType.F32);
        print(store, imports, "print_f64", ValType.F64);
        print(store, imports, "print_i32_f32", ValType.I32, ValType.F32);
        print(store, imports, "print_f64_f64", ValType.F64, ValType.F64);
    }

    private static void print(Store store, Imports imports, String name, ValType... params) {
        imports.define(new HostFunction("spectest", name, new FuncType(params, new ValType[0]), (caller, args) -> null), store);
    }
}
