package dev.kiln.wast;

import dev.kiln.frontend.WasmFeature;
import dev.kiln.frontend.text.WatParser;
import dev.kiln.runtime.FunctionType;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.WasmModule;

import java.util.List;


/**
 * The {@code spectest} host module the spec scripts import: print functions that do nothing,
 * globals of 666 (666.6 for the floats, as the reference interpreter has them), a funcref table of
 * 10..20 elements, a memory of 1..2 pages and, once kiln's decoder reads memory64, a 64-bit
 * table {@code table64} (modules that import it use memory64 and are not run before that). Table, memory and globals come from a small module that exports them, so they
 * are ordinary instance exports.
 */
public final class SpecTestModule {
    private static final String STATE = """
            (module
              (global (export "global_i32") i32 (i32.const 666))
              (global (export "global_i64") i64 (i64.const 666))
              (global (export "global_f32") f32 (f32.const 666.6))
              (global (export "global_f64") f64 (f64.const 666.6))
              (table (export "table") 10 20 funcref)
              (memory (export "memory") 1 2))
            """;
    private static final String TABLE64 = """
            (module (table (export "table64") i64 10 20 funcref))
            """;

    private SpecTestModule() {
    }

    /** Defines {@code spectest} in {@code imports} for modules of {@code store}. */
    public static void define(Store store, Imports imports) {
        Instance state = store.instantiate(WasmModule.of(WatParser.parse(STATE, "spectest").binary(), "spectest"), new Imports());
        imports.defineInstance("spectest", state);
        if (WasmFeature.MEMORY64.decoded) {
            Instance t64 = store.instantiate(WasmModule.of(WatParser.parse(TABLE64, "spectest").binary(), "spectest"), new Imports());
            imports.define("spectest", "table64", t64.exports().get("table64"));
        }
        print(store, imports, "print");
        print(store, imports, "print_i32", ValueType.I32);
        print(store, imports, "print_i64", ValueType.I64);
        print(store, imports, "print_f32", ValueType.F32);
        print(store, imports, "print_f64", ValueType.F64);
        print(store, imports, "print_i32_f32", ValueType.I32, ValueType.F32);
        print(store, imports, "print_f64_f64", ValueType.F64, ValueType.F64);
    }

    private static void print(Store store, Imports imports, String name, ValueType<?>... params) {
        imports.define(new HostFunction("spectest", name, FunctionType.of(List.of(params), List.of()), (caller, args) -> null), store);
    }
}
