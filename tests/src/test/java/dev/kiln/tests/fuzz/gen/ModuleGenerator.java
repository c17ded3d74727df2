package dev.kiln.tests.fuzz.gen;

import dev.kiln.tests.fuzz.wasm.FuncSig;
import dev.kiln.tests.fuzz.wasm.FuzzFunction;
import dev.kiln.tests.fuzz.wasm.FuzzModule;
import dev.kiln.tests.fuzz.wasm.GlobalDef;
import dev.kiln.tests.fuzz.wasm.MemoryDef;
import dev.kiln.tests.fuzz.wasm.NanDeterminism;
import dev.kiln.tests.fuzz.wasm.NumType;
import dev.kiln.tests.fuzz.wasm.TableDef;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates a whole {@link FuzzCase}: types, globals (one of them the fuel of guarded calls),
 * memory with data segments, a table with some slots null, the functions (each from a
 * {@link FunctionGenerator}), exports, and the calls to make. v128 values stay inside the
 * module: functions and globals of v128 type are not exported (the oracle's host API passes
 * numbers only), and are observed through what they compute into scalars, globals and memory.
 */
public final class ModuleGenerator {
    private final Random r;
    private final int maxFunctions;
    private final int bodyBudget;
    private final boolean simd;
    private final boolean exceptions;
    private final boolean gc;

    /** Modules without exception handling: {@link #ModuleGenerator(Random, int, int, boolean, boolean)}. */
    public ModuleGenerator(Random r, int maxFunctions, int bodyBudget, boolean simd) {
        this(r, maxFunctions, bodyBudget, simd, false);
    }

    /**
     * @param maxFunctions at most this many functions
     * @param bodyBudget   about this many instruction-tree nodes per function at most
     * @param simd         whether modules use v128 and SIMD instructions
     * @param exceptions   whether modules have exception tags and their code throws (throw, throw_ref) and catches
     *                     (try_table with every clause kind), keeping exnrefs in locals
     */
    public ModuleGenerator(Random r, int maxFunctions, int bodyBudget, boolean simd, boolean exceptions) {
        this(r, maxFunctions, bodyBudget, simd, exceptions, false);
    }

    /**
     * @param gc whether some modules (one in three) make GC objects ({@link dev.kiln.tests.fuzz.wasm.GcSlots}: structs with a
     *           subtype, i64 and i8 arrays, i31s in a global array of slots) and their code reads, writes, fills, copies and tests them
     */
    public ModuleGenerator(Random r, int maxFunctions, int bodyBudget, boolean simd, boolean exceptions, boolean gc) {
        this.r = r;
        this.maxFunctions = maxFunctions;
        this.bodyBudget = bodyBudget;
        this.simd = simd;
        this.exceptions = exceptions;
        this.gc = gc;
    }

    public FuzzCase generate() {
        int nFunctions = 1 + r.nextInt(maxFunctions);
        List<FuncSig> types = new ArrayList<>();
        List<Integer> functionTypes = new ArrayList<>();
        for (int i = 0; i < nFunctions; i++) {
            // the last function is exported, so its type is scalar
            FuncSig s = i > 0 && r.nextInt(3) == 0 ? types.get(functionTypes.get(r.nextInt(i))) : randomSig();
            if (i == nFunctions - 1 && !scalar(s)) s = scalarSig();
            if (!types.contains(s)) types.add(s);
            functionTypes.add(types.indexOf(s));
        }
        int extra = r.nextInt(3); // types no function has: call_indirect through them always mismatches
        for (int i = 0; i < extra; i++) {
            FuncSig s = randomSig();
            if (!types.contains(s)) types.add(s);
        }
        List<Integer> tags = new ArrayList<>();
        int nTags = exceptions ? 1 + r.nextInt(3) : 0;
        for (int i = 0; i < nTags; i++) {
            List<NumType> params = new ArrayList<>();
            int np = r.nextInt(6) == 0 ? 4 + r.nextInt(5) : r.nextInt(3); // sometimes more than fit in registers
            for (int k = 0; k < np; k++) params.add(valueType());
            FuncSig s = new FuncSig(params, List.of());
            if (!types.contains(s)) types.add(s);
            tags.add(types.indexOf(s));
        }
        List<GlobalDef> globals = new ArrayList<>();
        int nGlobals = r.nextInt(6);
        for (int i = 0; i < nGlobals; i++) {
            if (simd && r.nextInt(5) == 0) {
                long[] v = EdgeValues.v128(r);
                globals.add(new GlobalDef(NumType.V128, r.nextInt(4) != 0, v[0], v[1]));
                continue;
            }
            NumType t = NumType.SCALARS.get(r.nextInt(4));
            globals.add(new GlobalDef(t, r.nextInt(4) != 0, EdgeValues.of(t, r)));
        }
        int fuel = r.nextInt(globals.size() + 1);
        globals.add(fuel, new GlobalDef(NumType.I32, true, 4 + r.nextInt(30)));
        MemoryDef memory = r.nextInt(5) != 0 ? memory() : null;
        int tableSize = r.nextInt(3) != 0 ? r.nextInt(9) : 0;
        ModulePlan plan = new ModulePlan(types, functionTypes, globals, fuel, memory, tableSize, simd, tags, gc && r.nextInt(3) == 0);

        List<FuzzFunction> functions = new ArrayList<>();
        long[] costs = new long[nFunctions];
        for (int i = 0; i < nFunctions; i++) {
            FunctionGenerator g = new FunctionGenerator(r, plan, i, costs, 8 + r.nextInt(bodyBudget));
            functions.add(g.generate());
            costs[i] = g.cost();
        }
        TableDef table = null;
        if (tableSize > 0) {
            List<Integer> entries = new ArrayList<>();
            for (int i = 0; i < tableSize; i++) entries.add(r.nextInt(4) == 0 ? -1 : r.nextInt(nFunctions));
            table = new TableDef(tableSize, entries);
        }
        List<Integer> exportedFunctions = new ArrayList<>();
        for (int i = 0; i < nFunctions; i++) {
            if ((i == nFunctions - 1 || r.nextInt(3) != 0) && scalar(plan.functionSig(i))) exportedFunctions.add(i);
        }
        List<Integer> exportedGlobals = new ArrayList<>();
        for (int g = 0; g < globals.size(); g++) if (r.nextInt(4) != 0 && globals.get(g).type() != NumType.V128) exportedGlobals.add(g);
        FuzzModule m = new FuzzModule(types, functions, globals, memory, table, fuel, exportedFunctions, exportedGlobals,
                memory != null && r.nextInt(8) != 0, tags);
        m = NanDeterminism.enforce(m);

        List<Invocation> calls = new ArrayList<>();
        int nCalls = 1 + r.nextInt(8);
        for (int i = 0; i < nCalls; i++) {
            int f = exportedFunctions.get(r.nextInt(exportedFunctions.size()));
            List<Long> args = new ArrayList<>();
            for (NumType p : m.functions().get(f).sig().params()) args.add(EdgeValues.of(p, r));
            calls.add(new Invocation(f, args));
        }
        return new FuzzCase(m, calls);
    }

    private static boolean scalar(FuncSig s) {
        return !s.params().contains(NumType.V128) && !s.results().contains(NumType.V128);
    }

    private FuncSig scalarSig() {
        FuncSig s;
        do {
            s = randomSig();
        } while (!scalar(s));
        return s;
    }

    /** A parameter or result type: mostly numeric, sometimes v128. */
    private NumType valueType() {
        return simd && r.nextInt(8) == 0 ? NumType.V128 : NumType.SCALARS.get(r.nextInt(4));
    }

    /** Mostly small; sometimes more parameters than argument registers, or several results. */
    private FuncSig randomSig() {
        int np = r.nextInt(5) == 0 ? 5 + r.nextInt(8) : r.nextInt(5);
        int nr = switch (r.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 2;
            case 2 -> 3;
            case 3 -> 4 + r.nextInt(3);
            default -> 1;
        };
        List<NumType> ps = new ArrayList<>(), rs = new ArrayList<>();
        for (int i = 0; i < np; i++) ps.add(valueType());
        for (int i = 0; i < nr; i++) rs.add(valueType());
        return new FuncSig(ps, rs);
    }

    private MemoryDef memory() {
        int min = r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(2);
        int max = min + r.nextInt(3);
        List<MemoryDef.DataSegment> data = new ArrayList<>();
        if (min > 0 || r.nextBoolean()) {
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                byte[] bytes = new byte[1 + r.nextInt(32)];
                r.nextBytes(bytes);
                boolean passive = min == 0 || r.nextInt(3) == 0; // active ones must fit the initial memory
                int offset = passive ? 0 : r.nextBoolean() ? r.nextInt(256) : r.nextInt(min * 65536 - bytes.length + 1);
                data.add(new MemoryDef.DataSegment(offset, bytes, passive));
            }
        }
        // 3.0: sometimes memory 0 takes 64-bit addresses, sometimes more memories follow (of either address type)
        boolean is64 = r.nextInt(4) == 0;
        List<MemoryDef.Other> others = new ArrayList<>();
        if (r.nextInt(3) == 0) {
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                int otherMin = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(2);
                others.add(new MemoryDef.Other(otherMin, otherMin + r.nextInt(3), r.nextInt(3) == 0));
            }
        }
        return new MemoryDef(min, max, data, is64, others);
    }
}
