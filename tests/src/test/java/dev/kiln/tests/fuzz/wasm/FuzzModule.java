package dev.kiln.tests.fuzz.wasm;

import java.util.List;

/**
 * A generated module. Exports are named by what they export: {@code f<i>} for function i,
 * {@code g<i>} for global i, {@code mem} for the memory. {@code fuelGlobal} is the mutable i32
 * global that {@link Expr.FuelGuard}s spend (-1 when there is none).
 *
 * @param memory null when the module has no memory
 * @param table  null when the module has no table
 */
public record FuzzModule(List<FuncSig> types, List<FuzzFunction> functions, List<GlobalDef> globals, MemoryDef memory,
                         TableDef table, int fuelGlobal, List<Integer> exportedFunctions, List<Integer> exportedGlobals,
                         boolean exportMemory) {
    public FuzzModule {
        types = List.copyOf(types);
        functions = List.copyOf(functions);
        globals = List.copyOf(globals);
        exportedFunctions = List.copyOf(exportedFunctions);
        exportedGlobals = List.copyOf(exportedGlobals);
    }

    public static String functionExport(int index) {
        return "f" + index;
    }

    public static String globalExport(int index) {
        return "g" + index;
    }

    public static final String MEMORY_EXPORT = "mem";

    public FuzzModule withFunctions(List<FuzzFunction> fs) {
        return new FuzzModule(types, fs, globals, memory, table, fuelGlobal, exportedFunctions, exportedGlobals, exportMemory);
    }

    public FuzzModule withMemory(MemoryDef m) {
        return new FuzzModule(types, functions, globals, m, table, fuelGlobal, exportedFunctions, exportedGlobals, exportMemory);
    }

    public FuzzModule withTable(TableDef t) {
        return new FuzzModule(types, functions, globals, memory, t, fuelGlobal, exportedFunctions, exportedGlobals, exportMemory);
    }

    public FuzzModule withExportedFunctions(List<Integer> fs) {
        return new FuzzModule(types, functions, globals, memory, table, fuelGlobal, fs, exportedGlobals, exportMemory);
    }
}
