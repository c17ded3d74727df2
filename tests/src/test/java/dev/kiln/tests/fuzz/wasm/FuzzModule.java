package dev.kiln.tests.fuzz.wasm;

import java.util.List;
import java.util.TreeSet;

/**
 * A generated module. Exports are named by what they export: {@code f<i>} for function i,
 * {@code g<i>} for global i, {@code mem} for the memory, {@code t<i>} for tag i (every tag is exported,
 * so that an uncaught exception's tag is told by name). {@code fuelGlobal} is the mutable i32
 * global that {@link Expr.FuelGuard}s spend (-1 when there is none). {@code tags} are the module's
 * exception tags, each the index of its type (a function type without results) in {@code types}.
 *
 * @param memory null when the module has no memory
 * @param table  null when the module has no table
 */
public record FuzzModule(List<FuncSig> types, List<FuzzFunction> functions, List<GlobalDef> globals, MemoryDef memory,
                         TableDef table, int fuelGlobal, List<Integer> exportedFunctions, List<Integer> exportedGlobals,
                         boolean exportMemory, List<Integer> tags) {
    public FuzzModule {
        tags = List.copyOf(tags);
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

    public static String tagExport(int index) {
        return "t" + index;
    }

    /** The functions code takes a reference to ({@code ref.func} of call_ref and return_call_ref), in order: they must be declared. */
    public List<Integer> referencedFunctions() {
        TreeSet<Integer> out = new TreeSet<>();
        for (FuzzFunction f : functions) {
            ExprTree.forEach(f.body(), e -> {
                if (e instanceof Expr.CallRef c) out.add(c.function());
                if (e instanceof Expr.TailCall c && c.kind() == Expr.TailCall.Kind.REF) out.add(c.function());
            });
        }
        return List.copyOf(out);
    }

    /** Whether code makes tail calls or calls through references (3.0 instructions wabt's wat2wasm does not read by default). */
    public boolean usesTailCallsOrReferences() {
        boolean[] uses = {false};
        for (FuzzFunction f : functions) ExprTree.forEach(f.body(), e -> uses[0] |= e instanceof Expr.TailCall || e instanceof Expr.CallRef);
        return uses[0];
    }

    /** Whether the module has exception tags or code of exception handling (3.0 instructions wabt's wat2wasm does not read by default). */
    public boolean usesExceptions() {
        boolean[] uses = {!tags.isEmpty()};
        for (FuzzFunction f : functions) {
            ExprTree.forEach(f.body(), e -> uses[0] |= e instanceof Expr.Throw || e instanceof Expr.ThrowRef || e instanceof Expr.TryTable);
        }
        return uses[0];
    }

    /** Whether code uses GC objects ({@link GcSlots}: then the module has the GC types and the slot global). */
    public boolean usesGc() {
        boolean[] uses = {false};
        for (FuzzFunction f : functions) {
            ExprTree.forEach(f.body(), e -> uses[0] |= e instanceof Expr.GcNew || e instanceof Expr.GcRead || e instanceof Expr.GcWrite
                    || e instanceof Expr.GcTest);
        }
        return uses[0];
    }

    /** The parameters of tag {@code tag}. */
    public List<NumType> tagParams(int tag) {
        return types.get(tags.get(tag)).params();
    }

    /** Whether the module has several memories or a 64-bit one (3.0 features wabt's wat2wasm does not read by default). */
    public boolean usesMultiOr64BitMemories() {
        if (memory == null) return false;
        for (int i = 0; i < memory.count(); i++) if (i > 0 || memory.is64(i)) return true;
        return false;
    }

    public FuzzModule withFunctions(List<FuzzFunction> fs) {
        return new FuzzModule(types, fs, globals, memory, table, fuelGlobal, exportedFunctions, exportedGlobals, exportMemory, tags);
    }

    public FuzzModule withMemory(MemoryDef m) {
        return new FuzzModule(types, functions, globals, m, table, fuelGlobal, exportedFunctions, exportedGlobals, exportMemory, tags);
    }

    public FuzzModule withTable(TableDef t) {
        return new FuzzModule(types, functions, globals, memory, t, fuelGlobal, exportedFunctions, exportedGlobals, exportMemory, tags);
    }

    public FuzzModule withExportedFunctions(List<Integer> fs) {
        return new FuzzModule(types, functions, globals, memory, table, fuelGlobal, fs, exportedGlobals, exportMemory, tags);
    }
}
