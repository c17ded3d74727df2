package dev.kiln.frontend.text;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.text.RawTypes.RecGroup;
import dev.kiln.frontend.text.RawTypes.ValT;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A binary module of any WebAssembly 3.0 proposal read as it is encoded, without validation: what
 * the printer prints, what the canonical form writes again and what the feature scan inspects.
 * Code and constant expressions stay byte ranges of {@link #bytes}, read with
 * {@link RawInstruction}. It is independent of kiln's {@link dev.kiln.frontend.Decoder}, which
 * decodes what kiln runs.
 */
final class RawModule {
    static final int EXTERN_FUNC = 0;
    static final int EXTERN_TABLE = 1;
    static final int EXTERN_MEMORY = 2;
    static final int EXTERN_GLOBAL = 3;
    static final int EXTERN_TAG = 4;

    record Limits(boolean is64, long min, long max, boolean hasMax) {
        void encode(ByteSink out) {
            out.byte_((hasMax ? 1 : 0) | (is64 ? 4 : 0));
            out.u64(min);
            if (hasMax) out.u64(max);
        }
    }

    record TableType(ValT type, Limits limits) {
    }

    record GlobalType(ValT type, boolean mutable) {
    }

    /** A constant expression or function code: bytes {@code [start, end)}, the final {@code end} included. */
    record Expr(int start, int end) {
    }

    /** An import: {@code index} is the type index of a function or tag. */
    record Import(byte[] module, byte[] name, int kind, long index, TableType table, Limits memory, GlobalType global) {
    }

    record Table(TableType type, Expr init) {
    }

    record Global(GlobalType type, Expr init) {
    }

    record Export(byte[] name, int kind, long index) {
    }

    /**
     * An element segment: {@code mode} 0 active, 1 passive, 2 declarative; function indices
     * ({@code type} null: the element kind {@code func}) or expressions of {@code type}.
     */
    record Elem(int mode, long table, boolean explicitTable, Expr offset, ValT type, List<Long> funcs, List<Expr> exprs) {
    }

    record Local(long count, ValT type) {
    }

    record Code(List<Local> locals, Expr body) {
    }

    /** A data segment: {@code mode} 0 active, 1 passive. */
    record Data(int mode, long memory, Expr offset, int start, int length) {
    }

    /** A custom section and the id of the non-custom section before it (0 when it comes first). */
    record Custom(byte[] name, int start, int end, int after) {
        String nameString() {
            return new String(name, StandardCharsets.UTF_8);
        }
    }

    final byte[] bytes;
    final List<RecGroup> types = new ArrayList<>();
    final List<Import> imports = new ArrayList<>();
    final List<Long> functions = new ArrayList<>();
    final List<Table> tables = new ArrayList<>();
    final List<Limits> memories = new ArrayList<>();
    final List<Long> tags = new ArrayList<>();
    final List<Global> globals = new ArrayList<>();
    final List<Export> exports = new ArrayList<>();
    long start = -1;
    final List<Elem> elems = new ArrayList<>();
    long dataCount = -1;
    final List<Code> codes = new ArrayList<>();
    final List<Data> datas = new ArrayList<>();
    final List<Custom> customs = new ArrayList<>();
    /** Ids of the non-custom sections in order. */
    final List<Integer> sectionOrder = new ArrayList<>();
    final Names names = new Names();

    /** The name section's maps; empty when there is none or it is malformed. */
    static final class Names {
        byte[] module;
        /** Subsection id -> index -> name, for the direct maps (1, 4..9, 11). */
        final Map<Integer, TreeMap<Long, byte[]>> direct = new HashMap<>();
        /** Subsection id -> outer index -> inner index -> name, for the indirect maps (2, 3, 10). */
        final Map<Integer, TreeMap<Long, TreeMap<Long, byte[]>>> indirect = new HashMap<>();

        TreeMap<Long, byte[]> direct(int id) {
            return direct.computeIfAbsent(id, k -> new TreeMap<>());
        }

        TreeMap<Long, TreeMap<Long, byte[]>> indirect(int id) {
            return indirect.computeIfAbsent(id, k -> new TreeMap<>());
        }
    }

    private RawModule(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Set by {@link #readPartial}: the reason the module is not well formed, or null. */
    RawReader.RawFormatException error;
    /** The memarg flags of the instruction being read when reading failed (multi-memory's bits tell the feature). */
    long failedMemargFlags;

    /** Reads a module; a {@link RawReader.RawFormatException} when it is not well formed. */
    static RawModule read(byte[] bytes) {
        RawModule m = new RawModule(bytes);
        m.readAll();
        return m;
    }

    /** Reads as much of a module as is well formed; {@link #error} says where reading stopped. */
    static RawModule readPartial(byte[] bytes) {
        RawModule m = new RawModule(bytes);
        try {
            m.readAll();
        } catch (RawReader.RawFormatException e) {
            m.error = e;
        }
        return m;
    }

    int importCount(int kind) {
        int n = 0;
        for (Import i : imports) if (i.kind == kind) n++;
        return n;
    }

    private void readAll() {
        RawReader r = new RawReader(bytes, 0, bytes.length);
        if (bytes.length < 8 || r.f32() != 0x6D736100) throw new RawReader.RawFormatException(0, "magic header not detected");
        if (r.f32() != 1) throw new RawReader.RawFormatException(4, "unknown binary version");
        int lastId = 0;
        int lastOrder = 0;
        while (!r.atEnd()) {
            int at = r.pos;
            int id = r.u8();
            int size = r.count(1);
            int end = r.pos + size;
            RawReader s = new RawReader(bytes, r.pos, end);
            if (id != 0) {
                int order = order(id);
                if (order <= lastOrder) throw new RawReader.RawFormatException(at, "unexpected content after last section");
                lastOrder = order;
            }
            if (id == 0) {
                byte[] name = utf8(s, s.name());
                customs.add(new Custom(name, s.pos, end, lastId));
                if (new String(name, StandardCharsets.UTF_8).equals("name")) {
                    try {
                        names(new RawReader(bytes, s.pos, end));
                    } catch (RawReader.RawFormatException e) {
                        names.module = null;
                        names.direct.clear();
                        names.indirect.clear();
                    }
                }
            } else {
                section(id, s);
                if (!s.atEnd()) throw new RawReader.RawFormatException(s.pos, "section size mismatch");
                sectionOrder.add(id);
                lastId = id;
            }
            r.pos = end;
        }
        if (functions.size() != codes.size()) {
            throw new RawReader.RawFormatException(bytes.length, "function and code section have inconsistent lengths");
        }
        if (dataCount >= 0 && dataCount != datas.size()) {
            throw new RawReader.RawFormatException(bytes.length, "data count and data section have inconsistent lengths");
        }
    }

    /** Position of a non-custom section in the required order ({@code tag} after memory, {@code datacount} before code). */
    private static int order(int id) {
        return switch (id) {
            case 1, 2, 3, 4, 5 -> id;
            case 13 -> 6;
            case 6, 7, 8, 9 -> id + 1;
            case 12 -> 11;
            case 10 -> 12;
            case 11 -> 13;
            default -> throw new RawReader.RawFormatException(0, "malformed section id " + id);
        };
    }

    private static byte[] utf8(RawReader r, byte[] name) {
        if (!Literals.isUtf8(name)) throw r.error("malformed UTF-8 encoding");
        return name;
    }

    private void section(int id, RawReader r) {
        switch (id) {
            case 1 -> {
                int n = r.count(1);
                for (int i = 0; i < n; i++) types.add(RawTypes.recGroup(r));
            }
            case 2 -> {
                int n = r.count(3);
                for (int i = 0; i < n; i++) imports.add(importEntry(r));
            }
            case 3 -> {
                int n = r.count(1);
                for (int i = 0; i < n; i++) functions.add(r.u32());
            }
            case 4 -> {
                int n = r.count(1);
                for (int i = 0; i < n; i++) {
                    if (r.peek() == 0x40) {
                        r.u8();
                        if (r.u8() != 0) throw r.error("malformed table");
                        TableType t = tableType(r);
                        tables.add(new Table(t, expr(r)));
                    } else {
                        tables.add(new Table(tableType(r), null));
                    }
                }
            }
            case 5 -> {
                int n = r.count(1);
                for (int i = 0; i < n; i++) memories.add(limits(r));
            }
            case 6 -> {
                int n = r.count(2);
                for (int i = 0; i < n; i++) globals.add(new Global(globalType(r), expr(r)));
            }
            case 7 -> {
                int n = r.count(2);
                for (int i = 0; i < n; i++) exports.add(new Export(utf8(r, r.name()), kind(r), r.u32()));
            }
            case 8 -> start = r.u32();
            case 9 -> {
                int n = r.count(1);
                for (int i = 0; i < n; i++) elems.add(elem(r));
            }
            case 10 -> {
                int n = r.count(1);
                for (int i = 0; i < n; i++) {
                    int size = r.count(1);
                    int end = r.pos + size;
                    RawReader f = new RawReader(bytes, r.pos, end);
                    int groups = f.count(2);
                    List<Local> locals = new ArrayList<>(groups);
                    for (int g = 0; g < groups; g++) locals.add(new Local(f.u32(), RawTypes.valType(f)));
                    Expr body = exprTo(f, end);
                    codes.add(new Code(locals, body));
                    r.pos = end;
                }
            }
            case 11 -> {
                int n = r.count(1);
                for (int i = 0; i < n; i++) datas.add(data(r));
            }
            case 12 -> dataCount = r.u32();
            case 13 -> {
                int n = r.count(2);
                for (int i = 0; i < n; i++) {
                    if (r.u8() != 0) throw r.error("malformed tag attribute");
                    tags.add(r.u32());
                }
            }
            default -> throw r.error("malformed section id " + id);
        }
    }

    private int kind(RawReader r) {
        int k = r.u8();
        if (k > 4) throw r.error("malformed external kind");
        return k;
    }

    private Import importEntry(RawReader r) {
        byte[] module = utf8(r, r.name());
        byte[] name = utf8(r, r.name());
        int kind = kind(r);
        return switch (kind) {
            case EXTERN_FUNC -> new Import(module, name, kind, r.u32(), null, null, null);
            case EXTERN_TABLE -> new Import(module, name, kind, 0, tableType(r), null, null);
            case EXTERN_MEMORY -> new Import(module, name, kind, 0, null, limits(r), null);
            case EXTERN_GLOBAL -> new Import(module, name, kind, 0, null, null, globalType(r));
            default -> {
                if (r.u8() != 0) throw r.error("malformed tag attribute");
                yield new Import(module, name, kind, r.u32(), null, null, null);
            }
        };
    }

    private static Limits limits(RawReader r) {
        int flags = r.u8();
        if ((flags & ~5) != 0) throw r.error("malformed limits flags");
        long min = r.u64();
        boolean hasMax = (flags & 1) != 0;
        long max = hasMax ? r.u64() : 0;
        return new Limits((flags & 4) != 0, min, max, hasMax);
    }

    private static TableType tableType(RawReader r) {
        ValT t = RawTypes.valType(r);
        if (!t.isRef()) throw r.error("malformed reference type");
        return new TableType(t, limits(r));
    }

    private static GlobalType globalType(RawReader r) {
        ValT t = RawTypes.valType(r);
        int m = r.u8();
        if (m > 1) throw r.error("malformed mutability");
        return new GlobalType(t, m == 1);
    }

    /** A constant expression: instructions up to the {@code end} that closes it. */
    private Expr expr(RawReader r) {
        int start = r.pos;
        RawInstruction in = new RawInstruction(r);
        int depth = 0;
        while (true) {
            Opcode op = in.next();
            switch (op) {
                case BLOCK, LOOP, IF, TRY, TRY_TABLE -> depth++;
                case END -> {
                    if (depth-- == 0) return new Expr(start, r.pos);
                }
                default -> { }
            }
        }
    }

    /** Function code: instructions up to the window's end, which must be the closing {@code end}. */
    private Expr exprTo(RawReader r, int end) {
        RawInstruction in = new RawInstruction(r);
        try {
            return exprTo(r, end, in);
        } catch (RawReader.RawFormatException e) {
            failedMemargFlags = in.memargFlags;
            throw e;
        }
    }

    private Expr exprTo(RawReader r, int end, RawInstruction in) {
        int start = r.pos;
        int depth = 0;
        while (true) {
            if (r.atEnd()) throw r.error("END opcode expected");
            Opcode op = in.next();
            switch (op) {
                case BLOCK, LOOP, IF, TRY, TRY_TABLE -> depth++;
                case DELEGATE -> depth--;
                case END -> {
                    if (depth-- == 0) {
                        if (r.pos != end) throw r.error("section size mismatch");
                        return new Expr(start, end);
                    }
                }
                default -> { }
            }
        }
    }

    private Elem elem(RawReader r) {
        long flags = r.u32();
        if (flags > 7) throw r.error("malformed element segment flags");
        int mode = (flags & 1) == 0 ? 0 : (flags & 2) != 0 ? 2 : 1;
        boolean explicitTable = (flags & 2) != 0 && mode == 0;
        long table = 0;
        Expr offset = null;
        if (mode == 0) {
            if (explicitTable) table = r.u32();
            offset = expr(r);
        }
        boolean exprs = (flags & 4) != 0;
        ValT type = null;
        if (exprs) {
            type = (flags & 3) == 0 ? new ValT(0x63, true, 0x70) : RawTypes.valType(r);
            if (!type.isRef()) throw r.error("malformed reference type");
        } else if ((flags & 3) != 0) {
            if (r.u8() != 0) throw r.error("malformed element kind");
        }
        int n = r.count(1);
        List<Long> funcs = new ArrayList<>();
        List<Expr> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (exprs) items.add(expr(r));
            else funcs.add(r.u32());
        }
        return new Elem(mode, table, explicitTable, offset, type, funcs, items);
    }

    private Data data(RawReader r) {
        long flags = r.u32();
        return switch ((int) Math.min(flags, 3)) {
            case 0 -> {
                Expr offset = expr(r);
                int n = r.count(1);
                Data d = new Data(0, 0, offset, r.pos, n);
                r.pos += n;
                yield d;
            }
            case 1 -> {
                int n = r.count(1);
                Data d = new Data(1, 0, null, r.pos, n);
                r.pos += n;
                yield d;
            }
            case 2 -> {
                long mem = r.u32();
                Expr offset = expr(r);
                int n = r.count(1);
                Data d = new Data(0, mem, offset, r.pos, n);
                r.pos += n;
                yield d;
            }
            default -> throw r.error("malformed data segment flags");
        };
    }

    private void names(RawReader r) {
        int last = -1;
        while (!r.atEnd()) {
            int id = r.u8();
            int size = r.count(1);
            int end = r.pos + size;
            if (id <= last) throw r.error("name subsections out of order");
            last = id;
            RawReader s = new RawReader(bytes, r.pos, end);
            switch (id) {
                case 0 -> names.module = s.name();
                case 1, 4, 5, 6, 7, 8, 9, 11 -> nameMap(s, names.direct(id));
                case 2, 3, 10 -> {
                    int n = s.count(2);
                    for (int i = 0; i < n; i++) {
                        long outer = s.u32();
                        TreeMap<Long, byte[]> inner = new TreeMap<>();
                        nameMap(s, inner);
                        names.indirect(id).put(outer, inner);
                    }
                }
                default -> s.pos = end;
            }
            if (!s.atEnd()) throw s.error("name subsection size mismatch");
            r.pos = end;
        }
    }

    private static void nameMap(RawReader s, TreeMap<Long, byte[]> into) {
        int n = s.count(2);
        for (int i = 0; i < n; i++) into.put(s.u32(), s.name());
    }
}
