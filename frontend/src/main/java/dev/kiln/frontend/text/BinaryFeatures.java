package dev.kiln.frontend.text;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.WasmFeature;
import dev.kiln.frontend.text.RawTypes.CompType;
import dev.kiln.frontend.text.RawTypes.Field;
import dev.kiln.frontend.text.RawTypes.RecGroup;
import dev.kiln.frontend.text.RawTypes.SubType;
import dev.kiln.frontend.text.RawTypes.ValT;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The WebAssembly proposals a binary module uses, found by reading it with every 3.0 encoding in
 * mind (types, limits, sections, instructions and their immediates). A module that is not well
 * formed is read as far as it is, so its features up to that point are reported too.
 */
public final class BinaryFeatures {
    private final RawModule m;
    private final EnumSet<WasmFeature> features = EnumSet.of(WasmFeature.BASE);
    private final int importedGlobals;

    private BinaryFeatures(RawModule m) {
        this.m = m;
        this.importedGlobals = m.importCount(RawModule.EXTERN_GLOBAL);
    }

    public static Set<WasmFeature> scan(byte[] binary) {
        BinaryFeatures f = new BinaryFeatures(RawModule.readPartial(binary));
        f.scan();
        return f.features;
    }

    /** The module names of a binary's table, memory, global and tag imports (what instantiating it may change). */
    public static Set<String> statefulImportModules(byte[] binary) {
        Set<String> out = new TreeSet<>();
        for (RawModule.Import i : RawModule.readPartial(binary).imports) {
            if (i.kind() != RawModule.EXTERN_FUNC) out.add(new String(i.module(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private void scan() {
        for (RecGroup g : m.types) {
            if (g.explicit()) features.add(WasmFeature.GC);
            for (SubType s : g.types()) {
                if (!s.plain()) features.add(WasmFeature.GC);
                CompType c = s.comp();
                if (c.form() != 0x60) features.add(WasmFeature.GC);
                c.params().forEach(this::valType);
                c.results().forEach(this::valType);
                for (Field f : c.fields()) valType(f.type());
            }
        }
        int memories = m.memories.size();
        for (RawModule.Import i : m.imports) {
            switch (i.kind()) {
                case RawModule.EXTERN_TABLE -> table(i.table());
                case RawModule.EXTERN_MEMORY -> {
                    limits(i.memory());
                    memories++;
                }
                case RawModule.EXTERN_GLOBAL -> valType(i.global().type());
                case RawModule.EXTERN_TAG -> features.add(WasmFeature.EXCEPTIONS);
                default -> { }
            }
        }
        if (memories > 1) features.add(WasmFeature.MULTI_MEMORY);
        m.memories.forEach(this::limits);
        for (RawModule.Table t : m.tables) {
            table(t.type());
            if (t.init() != null) {
                features.add(WasmFeature.FUNCTION_REFERENCES);
                code(t.init(), true);
            }
        }
        if (!m.tags.isEmpty()) features.add(WasmFeature.EXCEPTIONS);
        for (RawModule.Global g : m.globals) {
            valType(g.type().type());
            code(g.init(), true);
        }
        for (RawModule.Export e : m.exports) if (e.kind() == RawModule.EXTERN_TAG) features.add(WasmFeature.EXCEPTIONS);
        for (RawModule.Elem e : m.elems) {
            if (e.type() != null) valType(e.type());
            if (e.offset() != null) code(e.offset(), true);
            for (RawModule.Expr x : e.exprs()) code(x, true);
        }
        for (RawModule.Code c : m.codes) {
            for (RawModule.Local l : c.locals()) valType(l.type());
            code(c.body(), false);
        }
        if (m.failedMemargFlags >= 0x40) features.add(WasmFeature.MULTI_MEMORY);
        for (RawModule.Data d : m.datas) {
            if (d.memory() != 0) features.add(WasmFeature.MULTI_MEMORY);
            if (d.offset() != null) code(d.offset(), true);
        }
    }

    private void table(RawModule.TableType t) {
        valType(t.type());
        limits(t.limits());
    }

    private void limits(RawModule.Limits l) {
        if (l.is64() || Long.compareUnsigned(l.min(), 0xFFFF_FFFFL) > 0 || (l.hasMax() && Long.compareUnsigned(l.max(), 0xFFFF_FFFFL) > 0)) {
            features.add(WasmFeature.MEMORY64);
        }
    }

    private void valType(ValT t) {
        if (t.code() == 0x7B) features.add(WasmFeature.SIMD);
        if (!t.isRef()) return;
        if (!t.nullable() || !t.abstractHeap()) features.add(WasmFeature.FUNCTION_REFERENCES);
        if (t.abstractHeap()) heap((int) t.heap());
    }

    private void heap(int code) {
        switch (code) {
            case 0x70, 0x6F -> { }
            case 0x69, 0x74 -> features.add(WasmFeature.EXCEPTIONS);
            default -> features.add(WasmFeature.GC);
        }
    }

    private void heapType(ValT h) {
        if (h.abstractHeap()) heap((int) h.heap());
        else features.add(WasmFeature.FUNCTION_REFERENCES);
    }

    private void code(RawModule.Expr e, boolean constant) {
        RawReader r = new RawReader(m.bytes, e.start(), e.end());
        RawInstruction in = new RawInstruction(r);
        try {
            while (!in.atEnd()) instruction(in, in.next(), constant);
        } catch (RawReader.RawFormatException malformed) {
            // a malformed body: its features up to the malformation count; memarg flags beyond the
            // alignment bits are multi-memory's encoding
            if (in.memargFlags >= 0x40) features.add(WasmFeature.MULTI_MEMORY);
        }
    }

    private void instruction(RawInstruction in, Opcode op, boolean constant) {
        features.add(op.feature);
        switch (op.immediate) {
            case MEMARG, MEMARG_LANE -> {
                if (in.b != 0) features.add(WasmFeature.MULTI_MEMORY);
                if (Long.compareUnsigned(in.c, 0xFFFF_FFFFL) > 0) features.add(WasmFeature.MEMORY64);
            }
            case MEMORY -> {
                if (in.a != 0) features.add(WasmFeature.MULTI_MEMORY);
            }
            case MEMORY_MEMORY -> {
                if (in.a != 0 || in.b != 0) features.add(WasmFeature.MULTI_MEMORY);
            }
            case DATA_MEMORY -> {
                if (in.b != 0) features.add(WasmFeature.MULTI_MEMORY);
            }
            case BLOCK_TYPE, BLOCK_CATCHES -> {
                if (in.blockKind == 1) valType(in.blockType);
            }
            case SELECT_TYPES -> {
                for (int i = 0; i < in.typeCount; i++) valType(in.types[i]);
            }
            case REF_TYPE, HEAP_TYPE -> heapType(in.heap1);
            case CAST_BRANCH -> {
                heapType(in.heap1);
                heapType(in.heap2);
            }
            case GLOBAL -> {
                if (constant && in.a >= importedGlobals) features.add(WasmFeature.GC);
            }
            default -> { }
        }
        if (constant) {
            switch (op) {
                case I32_ADD, I32_SUB, I32_MUL, I64_ADD, I64_SUB, I64_MUL -> features.add(WasmFeature.EXTENDED_CONST);
                default -> { }
            }
        }
    }
}
