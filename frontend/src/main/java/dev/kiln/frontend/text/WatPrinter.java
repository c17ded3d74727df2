package dev.kiln.frontend.text;

import dev.kiln.frontend.MalformedModuleException;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.text.RawTypes.CompType;
import dev.kiln.frontend.text.RawTypes.Field;
import dev.kiln.frontend.text.RawTypes.RecGroup;
import dev.kiln.frontend.text.RawTypes.SubType;
import dev.kiln.frontend.text.RawTypes.ValT;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints a binary module of any WebAssembly 3.0 proposal as text: flat instructions, one a line;
 * identifiers from the name section (where a name can be one, see {@link PrintedNames});
 * explicit type uses, so parsing the text gives back the module (the same sections and entries,
 * custom sections in their places as {@code @custom} annotations). Numbers are exact: integers in
 * decimal, floats in hexadecimal, NaN payloads kept.
 */
public final class WatPrinter {
    private final RawModule m;
    private final StringBuilder out = new StringBuilder(4096);
    private final List<SubType> typeList = new ArrayList<>();
    private final Map<Integer, Map<Long, String>> ids = new TreeMap<>();
    private Map<Long, String> localIds = Map.of();
    private Map<Long, byte[]> labelNames = Map.of();
    private int labelCount;
    private int importedFuncs;

    private WatPrinter(RawModule m) {
        this.m = m;
        for (RecGroup g : m.types) typeList.addAll(g.types());
    }

    /** The text of a binary module; a {@link MalformedModuleException} when the binary is not well formed. */
    public static String print(byte[] binary) {
        RawModule m;
        try {
            m = RawModule.read(binary);
        } catch (RawReader.RawFormatException e) {
            throw new MalformedModuleException(e.getMessage().replaceAll(" at offset 0x[0-9a-f]+$", ""), e.offset);
        }
        WatPrinter p = new WatPrinter(m);
        p.module();
        return p.out.toString();
    }

    // ---- names ----

    private static final int FUNCS = 1;
    private static final int TYPES = 4;
    private static final int TABLES = 5;
    private static final int MEMORIES = 6;
    private static final int GLOBALS = 7;
    private static final int ELEMS = 8;
    private static final int DATAS = 9;
    private static final int TAGS = 11;

    private Map<Long, String> idsOf(int space) {
        return ids.computeIfAbsent(space, s -> {
            Map<Long, String> r = new TreeMap<>();
            TreeMap<Long, byte[]> names = m.names.direct.get(s);
            if (names != null) PrintedNames.unique(names).forEach((i, n) -> r.put(i, PrintedNames.id(n)));
            return r;
        });
    }

    /** {@code $name} of an entry, or its index. */
    private String ref(int space, long index) {
        String id = idsOf(space).get(index);
        return id != null ? id : Long.toString(index);
    }

    /** " $name" (or " (@name ...)") after a definition's keyword, or nothing. */
    private String definitionName(int space, long index) {
        String id = idsOf(space).get(index);
        if (id != null) return " " + id;
        if (space == FUNCS || space == TAGS) {
            TreeMap<Long, byte[]> names = m.names.direct.get(space);
            byte[] n = names == null ? null : names.get(index);
            if (n != null && Literals.isUtf8(n)) return " (@name " + PrintedNames.quote(n) + ")";
        }
        return "";
    }

    // ---- module ----

    private void module() {
        out.append("(module");
        if (m.names.module != null && m.names.module.length > 0 && Literals.isUtf8(m.names.module)) {
            out.append(' ').append(PrintedNames.id(m.names.module));
        }
        out.append('\n');
        customs(0);
        int typeIndex = 0;
        for (RecGroup g : m.types) {
            if (g.explicit()) {
                out.append("  (rec");
                for (SubType s : g.types()) {
                    out.append("\n    ");
                    typeDefinition(typeIndex++, s);
                }
                out.append(")\n");
            } else {
                out.append("  ");
                typeDefinition(typeIndex++, g.types().get(0));
                out.append('\n');
            }
        }
        customs(1);
        long[] next = new long[5];
        for (RawModule.Import i : m.imports) {
            out.append("  (import ").append(PrintedNames.quote(i.module())).append(' ').append(PrintedNames.quote(i.name())).append(' ');
            long index = next[i.kind()]++;
            switch (i.kind()) {
                case RawModule.EXTERN_FUNC -> out.append("(func").append(definitionName(FUNCS, index)).append(typeUse(i.index(), null)).append(')');
                case RawModule.EXTERN_TABLE -> out.append("(table").append(definitionName(TABLES, index)).append(' ').append(tableType(i.table())).append(')');
                case RawModule.EXTERN_MEMORY -> out.append("(memory").append(definitionName(MEMORIES, index)).append(' ').append(limits(i.memory())).append(')');
                case RawModule.EXTERN_GLOBAL -> out.append("(global").append(definitionName(GLOBALS, index)).append(' ').append(globalType(i.global())).append(')');
                default -> out.append("(tag").append(definitionName(TAGS, index)).append(typeUse(i.index(), null)).append(')');
            }
            out.append(")\n");
        }
        customs(2);
        importedFuncs = (int) next[RawModule.EXTERN_FUNC];
        for (int f = 0; f < m.functions.size(); f++) {
            if (f < m.codes.size()) function(importedFuncs + f, m.functions.get(f), m.codes.get(f));
        }
        customs(3);
        long table = next[RawModule.EXTERN_TABLE];
        for (RawModule.Table t : m.tables) {
            out.append("  (table").append(definitionName(TABLES, table++)).append(' ').append(tableType(t.type()));
            if (t.init() != null) out.append(' ').append(inline(t.init()));
            out.append(")\n");
        }
        customs(4);
        long memory = next[RawModule.EXTERN_MEMORY];
        for (RawModule.Limits l : m.memories) out.append("  (memory").append(definitionName(MEMORIES, memory++)).append(' ').append(limits(l)).append(")\n");
        customs(5);
        long tag = next[RawModule.EXTERN_TAG];
        for (long t : m.tags) out.append("  (tag").append(definitionName(TAGS, tag++)).append(typeUse(t, null)).append(")\n");
        customs(13);
        long global = next[RawModule.EXTERN_GLOBAL];
        for (RawModule.Global g : m.globals) {
            out.append("  (global").append(definitionName(GLOBALS, global++)).append(' ').append(globalType(g.type())).append(' ')
                    .append(inline(g.init())).append(")\n");
        }
        customs(6);
        for (RawModule.Export e : m.exports) {
            String kind = switch (e.kind()) {
                case RawModule.EXTERN_FUNC -> "func " + ref(FUNCS, e.index());
                case RawModule.EXTERN_TABLE -> "table " + ref(TABLES, e.index());
                case RawModule.EXTERN_MEMORY -> "memory " + ref(MEMORIES, e.index());
                case RawModule.EXTERN_GLOBAL -> "global " + ref(GLOBALS, e.index());
                default -> "tag " + ref(TAGS, e.index());
            };
            out.append("  (export ").append(PrintedNames.quote(e.name())).append(" (").append(kind).append("))\n");
        }
        customs(7);
        if (m.start >= 0) out.append("  (start ").append(ref(FUNCS, m.start)).append(")\n");
        customs(8);
        long elem = 0;
        for (RawModule.Elem e : m.elems) elem(elem++, e);
        customs(9);
        customs(12);
        customs(10);
        long data = 0;
        for (RawModule.Data d : m.datas) {
            out.append("  (data").append(definitionName(DATAS, data++));
            if (d.mode() == 0) {
                if (d.memory() != 0) out.append(" (memory ").append(ref(MEMORIES, d.memory())).append(')');
                out.append(" (offset ").append(inline(d.offset())).append(')');
            }
            out.append(' ').append(PrintedNames.quote(Arrays.copyOfRange(m.bytes, d.start(), d.start() + d.length())));
            out.append(")\n");
        }
        customs(11);
        out.append(")\n");
    }

    /** The custom sections that follow the section with this id (0: before the first). */
    private void customs(int after) {
        for (RawModule.Custom c : m.customs) {
            if (c.after() != after || c.nameString().equals("name")) continue;
            String place = switch (after) {
                case 0 -> "before first";
                case 1 -> "after type";
                case 2 -> "after import";
                case 3 -> "after func";
                case 4 -> "after table";
                case 5 -> "after memory";
                case 6 -> "after global";
                case 7 -> "after export";
                case 8 -> "after start";
                case 9 -> "after elem";
                case 10 -> "after code";
                case 11 -> "after data";
                case 12 -> "after datacount";
                default -> "after tag";
            };
            out.append("  (@custom ").append(PrintedNames.quote(c.name())).append(" (").append(place).append(") ")
                    .append(PrintedNames.quote(Arrays.copyOfRange(m.bytes, c.start(), c.end()))).append(")\n");
        }
    }

    // ---- types ----

    private void typeDefinition(int index, SubType s) {
        out.append("(type").append(definitionName(TYPES, index)).append(' ');
        if (!s.plain()) {
            out.append("(sub");
            if (s.isFinal()) out.append(" final");
            for (long x : s.supers()) out.append(' ').append(ref(TYPES, x));
            out.append(' ');
        }
        CompType c = s.comp();
        switch (c.form()) {
            case 0x60 -> {
                out.append("(func");
                for (ValT t : c.params()) out.append(" (param ").append(valType(t)).append(')');
                for (ValT t : c.results()) out.append(" (result ").append(valType(t)).append(')');
                out.append(')');
            }
            case 0x5F -> {
                out.append("(struct");
                TreeMap<Long, byte[]> names = m.names.indirect(10).get((long) index);
                TreeMap<Long, byte[]> unique = names == null ? new TreeMap<>() : PrintedNames.unique(names);
                for (int i = 0; i < c.fields().size(); i++) {
                    out.append(" (field");
                    byte[] n = unique.get((long) i);
                    if (n != null) out.append(' ').append(PrintedNames.id(n));
                    out.append(' ').append(fieldType(c.fields().get(i))).append(')');
                }
                out.append(')');
            }
            default -> out.append("(array ").append(fieldType(c.fields().get(0))).append(')');
        }
        if (!s.plain()) out.append(')');
        out.append(')');
    }

    private String fieldType(Field f) {
        String t = valType(f.type());
        return f.mutable() ? "(mut " + t + ")" : t;
    }

    String valType(ValT t) {
        return switch (t.code()) {
            case 0x7F -> "i32";
            case 0x7E -> "i64";
            case 0x7D -> "f32";
            case 0x7C -> "f64";
            case 0x7B -> "v128";
            case 0x78 -> "i8";
            case 0x77 -> "i16";
            default -> refType(t);
        };
    }

    private String refType(ValT t) {
        if (t.nullable() && t.abstractHeap()) {
            return switch ((int) t.heap()) {
                case 0x70 -> "funcref";
                case 0x6F -> "externref";
                case 0x6E -> "anyref";
                case 0x6D -> "eqref";
                case 0x6C -> "i31ref";
                case 0x6B -> "structref";
                case 0x6A -> "arrayref";
                case 0x71 -> "nullref";
                case 0x73 -> "nullfuncref";
                case 0x72 -> "nullexternref";
                case 0x69 -> "exnref";
                default -> "nullexnref";
            };
        }
        return "(ref " + (t.nullable() ? "null " : "") + heapType(t) + ")";
    }

    private String heapType(ValT t) {
        if (!t.abstractHeap()) return ref(TYPES, t.heap());
        return switch ((int) t.heap()) {
            case 0x70 -> "func";
            case 0x6F -> "extern";
            case 0x6E -> "any";
            case 0x6D -> "eq";
            case 0x6C -> "i31";
            case 0x6B -> "struct";
            case 0x6A -> "array";
            case 0x71 -> "none";
            case 0x73 -> "nofunc";
            case 0x72 -> "noextern";
            case 0x69 -> "exn";
            default -> "noexn";
        };
    }

    private String limits(RawModule.Limits l) {
        return (l.is64() ? "i64 " : "") + Long.toUnsignedString(l.min()) + (l.hasMax() ? " " + Long.toUnsignedString(l.max()) : "");
    }

    private String tableType(RawModule.TableType t) {
        return limits(t.limits()) + " " + valType(t.type());
    }

    private String globalType(RawModule.GlobalType g) {
        return g.mutable() ? "(mut " + valType(g.type()) + ")" : valType(g.type());
    }

    /** The function type at {@code index}, or null when there is none. */
    private CompType funcType(long index) {
        if (index < 0 || index >= typeList.size()) return null;
        CompType c = typeList.get((int) index).comp();
        return c.form() == 0x60 ? c : null;
    }

    /** " (type N)" with named parameters when {@code paramIds} names any, and the results. */
    private String typeUse(long index, Map<Long, String> paramIds) {
        StringBuilder sb = new StringBuilder(" (type ").append(ref(TYPES, index)).append(')');
        CompType c = funcType(index);
        if (c != null && paramIds != null && !paramIds.isEmpty()) {
            for (int i = 0; i < c.params().size(); i++) {
                String id = paramIds.get((long) i);
                sb.append(" (param ").append(id != null ? id + " " : "").append(valType(c.params().get(i))).append(')');
            }
            for (ValT r : c.results()) sb.append(" (result ").append(valType(r)).append(')');
        }
        return sb.toString();
    }

    // ---- code ----

    /** More locals than this are not printed: the text format writes each one. */
    private static final long MAX_PRINTED_LOCALS = 10_000_000L;

    private void function(long index, long typeIndex, RawModule.Code code) {
        TreeMap<Long, byte[]> localNames = m.names.indirect(2).get(index);
        Map<Long, String> locals = new TreeMap<>();
        if (localNames != null) PrintedNames.unique(localNames).forEach((i, n) -> locals.put(i, PrintedNames.id(n)));
        TreeMap<Long, byte[]> labels = m.names.indirect(3).get(index);
        labelNames = labels == null ? Map.of() : labels;
        localIds = locals;
        labelCount = 0;
        CompType sig = funcType(typeIndex);
        int params = sig == null ? 0 : sig.params().size();
        out.append("  (func").append(definitionName(FUNCS, index)).append(typeUse(typeIndex, sig == null ? null : locals));
        long local = params;
        long total = 0;
        for (RawModule.Local l : code.locals()) total += l.count();
        if (total > MAX_PRINTED_LOCALS || total < 0) {
            throw new MalformedModuleException(Long.toUnsignedString(total) + " locals cannot be written in the text format (one by one)",
                    code.body().start());
        }
        for (RawModule.Local l : code.locals()) {
            String type = valType(l.type());
            boolean open = false;
            for (long k = 0; k < l.count(); k++, local++) {
                String id = locals.get(local);
                if (id != null) {
                    if (open) out.append(')');
                    open = false;
                    out.append(" (local ").append(id).append(' ').append(type).append(')');
                } else {
                    out.append(open ? " " : " (local ").append(type);
                    open = true;
                }
            }
            if (open) out.append(')');
        }
        out.append('\n');
        instructions(code.body(), 2, false);
        out.append("  )\n");
    }

    /** A constant expression on one line (its final {@code end} left out). */
    private String inline(RawModule.Expr e) {
        StringBuilder saved = new StringBuilder(out);
        out.setLength(0);
        Map<Long, String> savedLocals = localIds;
        localIds = Map.of();
        instructions(e, 0, true);
        String s = out.toString().trim().replace('\n', ' ');
        out.setLength(0);
        out.append(saved);
        localIds = savedLocals;
        return s;
    }

    private void instructions(RawModule.Expr e, int baseIndent, boolean oneLine) {
        RawReader r = new RawReader(m.bytes, e.start(), e.end());
        RawInstruction in = new RawInstruction(r);
        int depth = 0;
        while (!in.atEnd()) {
            Opcode op = in.next();
            if (op == Opcode.END && in.atEnd()) break; // the expression's own end
            int indent = switch (op) {
                case END, ELSE, CATCH, CATCH_ALL, DELEGATE -> depth - 1;
                default -> depth;
            };
            if (!oneLine) out.append("  ".repeat(baseIndent + Math.max(indent, 0)));
            instruction(in, op);
            out.append(oneLine ? " " : "\n");
            switch (op) {
                case BLOCK, LOOP, IF, TRY, TRY_TABLE -> depth++;
                case END, DELEGATE -> depth--;
                default -> { }
            }
        }
    }

    private void instruction(RawInstruction in, Opcode op) {
        String name = switch (op) {
            case SELECT_T -> "select";
            case REF_TEST_NULL -> "ref.test";
            case REF_CAST_NULL -> "ref.cast";
            default -> op.mnemonic;
        };
        out.append(name);
        switch (op.immediate) {
            case NONE -> { }
            case BLOCK_TYPE -> blockStart(in);
            case BLOCK_CATCHES -> {
                blockStart(in);
                for (int i = 0; i < in.catchCount; i++) {
                    long kind = in.catches[3 * i];
                    out.append(switch ((int) kind) {
                        case 0 -> " (catch ";
                        case 1 -> " (catch_ref ";
                        case 2 -> " (catch_all ";
                        default -> " (catch_all_ref ";
                    });
                    if (kind < 2) out.append(ref(TAGS, in.catches[3 * i + 1])).append(' ');
                    out.append(in.catches[3 * i + 2]).append(')');
                }
            }
            case LABEL -> out.append(' ').append(in.a);
            case LABEL_TABLE -> {
                for (int i = 0; i < in.labelCount; i++) out.append(' ').append(in.labels[i]);
                out.append(' ').append(in.a);
            }
            case FUNC -> out.append(' ').append(ref(FUNCS, in.a));
            case LOCAL -> {
                String id = localIds.get(in.a);
                out.append(' ').append(id != null ? id : Long.toString(in.a));
            }
            case GLOBAL -> out.append(' ').append(ref(GLOBALS, in.a));
            case TABLE -> out.append(' ').append(ref(TABLES, in.a));
            case TAG -> out.append(' ').append(ref(TAGS, in.a));
            case TYPE -> out.append(' ').append(ref(TYPES, in.a));
            case DATA -> out.append(' ').append(ref(DATAS, in.a));
            case ELEM -> out.append(' ').append(ref(ELEMS, in.a));
            case MEMORY -> out.append(' ').append(ref(MEMORIES, in.a));
            case TYPE_TABLE -> out.append(' ').append(ref(TABLES, in.b)).append(" (type ").append(ref(TYPES, in.a)).append(')');
            case TABLE_TABLE -> out.append(' ').append(ref(TABLES, in.a)).append(' ').append(ref(TABLES, in.b));
            case ELEM_TABLE -> out.append(' ').append(ref(TABLES, in.b)).append(' ').append(ref(ELEMS, in.a));
            case DATA_MEMORY -> out.append(' ').append(ref(MEMORIES, in.b)).append(' ').append(ref(DATAS, in.a));
            case MEMORY_MEMORY -> out.append(' ').append(ref(MEMORIES, in.a)).append(' ').append(ref(MEMORIES, in.b));
            case MEMARG -> memarg(in, op);
            case MEMARG_LANE -> {
                memarg(in, op);
                out.append(' ').append(in.d);
            }
            case LANE -> out.append(' ').append(in.d);
            case I32 -> out.append(' ').append((int) in.a);
            case I64 -> out.append(' ').append(in.a);
            case F32 -> out.append(' ').append(f32((int) in.a));
            case F64 -> out.append(' ').append(f64(in.a));
            case V128 -> {
                out.append(" i32x4");
                for (int i = 0; i < 4; i++) {
                    int lane = (in.v128[4 * i] & 0xFF) | (in.v128[4 * i + 1] & 0xFF) << 8 | (in.v128[4 * i + 2] & 0xFF) << 16
                            | (in.v128[4 * i + 3] & 0xFF) << 24;
                    out.append(" 0x").append(Integer.toHexString(lane));
                }
            }
            case SHUFFLE -> {
                for (int i = 0; i < 16; i++) out.append(' ').append(in.v128[i] & 0xFF);
            }
            case SELECT_TYPES -> {
                out.append(" (result");
                for (int i = 0; i < in.typeCount; i++) out.append(' ').append(valType(in.types[i]));
                out.append(')');
            }
            case REF_TYPE -> out.append(' ').append(heapType(in.heap1));
            case HEAP_TYPE -> out.append(' ').append(refType(in.heap1));
            case CAST_BRANCH -> out.append(' ').append(in.b).append(' ').append(refType(in.heap1)).append(' ').append(refType(in.heap2));
            case TYPE_FIELD -> out.append(' ').append(ref(TYPES, in.a)).append(' ').append(in.b);
            case TYPE_COUNT -> out.append(' ').append(ref(TYPES, in.a)).append(' ').append(in.b);
            case TYPE_DATA -> out.append(' ').append(ref(TYPES, in.a)).append(' ').append(ref(DATAS, in.b));
            case TYPE_ELEM -> out.append(' ').append(ref(TYPES, in.a)).append(' ').append(ref(ELEMS, in.b));
            case TYPE_TYPE -> out.append(' ').append(ref(TYPES, in.a)).append(' ').append(ref(TYPES, in.b));
        }
    }

    /** A block's label (from the name section) and type. */
    private void blockStart(RawInstruction in) {
        byte[] label = labelNames.get((long) labelCount++);
        if (label != null && label.length > 0 && Literals.isUtf8(label)) out.append(' ').append(PrintedNames.id(label));
        switch (in.blockKind) {
            case 0 -> { }
            case 1 -> out.append(" (result ").append(valType(in.blockType)).append(')');
            default -> out.append(" (type ").append(ref(TYPES, in.a)).append(')');
        }
    }

    private void memarg(RawInstruction in, Opcode op) {
        if (in.b != 0) out.append(' ').append(ref(MEMORIES, in.b));
        if (in.c != 0) out.append(" offset=").append(Long.toUnsignedString(in.c));
        if (in.a != op.naturalAlignmentLog2()) {
            if (in.a >= 64) throw new MalformedModuleException("alignment 2^" + in.a + " cannot be written in the text format", in.offset);
            out.append(" align=").append(Long.toUnsignedString(1L << in.a));
        }
    }

    /** An f32 exactly: hexadecimal, inf, nan or nan:0x payload. */
    static String f32(int bits) {
        String sign = bits < 0 ? "-" : "";
        int abs = bits & 0x7FFF_FFFF;
        if (abs >= 0x7F80_0000) {
            int payload = abs & 0x007F_FFFF;
            if (payload == 0) return sign + "inf";
            return sign + (payload == 0x0040_0000 ? "nan" : "nan:0x" + Integer.toHexString(payload));
        }
        return sign + Float.toHexString(Float.intBitsToFloat(abs));
    }

    static String f64(long bits) {
        String sign = bits < 0 ? "-" : "";
        long abs = bits & 0x7FFF_FFFF_FFFF_FFFFL;
        if (abs >= 0x7FF0_0000_0000_0000L) {
            long payload = abs & 0x000F_FFFF_FFFF_FFFFL;
            if (payload == 0) return sign + "inf";
            return sign + (payload == 0x0008_0000_0000_0000L ? "nan" : "nan:0x" + Long.toHexString(payload));
        }
        return sign + Double.toHexString(Double.longBitsToDouble(abs));
    }

    private void elem(long index, RawModule.Elem e) {
        out.append("  (elem").append(definitionName(ELEMS, index));
        if (e.mode() == 0) {
            if (e.explicitTable()) out.append(" (table ").append(ref(TABLES, e.table())).append(')');
            out.append(" (offset ").append(inline(e.offset())).append(')');
        } else if (e.mode() == 2) {
            out.append(" declare");
        }
        if (e.type() == null) {
            out.append(" func");
            for (long f : e.funcs()) out.append(' ').append(ref(FUNCS, f));
        } else {
            out.append(' ').append(valType(e.type()));
            for (RawModule.Expr x : e.exprs()) out.append(" (item ").append(inline(x)).append(')');
        }
        out.append(")\n");
    }
}
