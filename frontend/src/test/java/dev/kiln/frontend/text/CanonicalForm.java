package dev.kiln.frontend.text;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.text.RawTypes.RecGroup;
import dev.kiln.frontend.text.RawTypes.SubType;
import dev.kiln.frontend.text.RawTypes.ValT;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A canonical form of a binary module of any WebAssembly 3.0 proposal, for comparing modules that
 * two encoders (or an encoder and a print-parse round trip) made. Two binaries have the same
 * canonical form exactly when they hold the same module, written with these choices undone:
 * <ul>
 * <li>every LEB128 re-encoded minimally (counts, sizes, indices, constants, memarg offsets);</li>
 * <li>value types in their shortest form (nullable abstract references as one byte), {@code sub
 *     final} without supertypes written bare, a rec group of one type written without {@code rec};</li>
 * <li>memory arguments without an explicit memory index 0, function locals in maximal runs, no
 *     {@code else} before an {@code end} (an empty else branch);</li>
 * <li>element segments with the flags of their meaning (table 0 implicit, {@code funcref}
 *     expressions in the short form), data segments of memory 0 with flags 0;</li>
 * <li>no data count section (the text format has no syntax for it: parsers add it when code uses
 *     a data index), and no section without entries;</li>
 * <li>the name section decoded and written again at the end, subsections in order; with
 *     {@code printableNames}, only the names {@link WatPrinter} can write ({@link PrintedNames}).</li>
 * </ul>
 * Custom sections other than {@code name} keep their bytes and their place after a section.
 */
public final class CanonicalForm {
    /** Which names the canonical form keeps. */
    public enum Names { ALL, PRINTABLE, NONE }

    private final RawModule m;
    private final boolean printableNames;
    private final boolean noNames;
    private final Set<String> dropped;
    private final ByteSink out = new ByteSink(1024);

    private CanonicalForm(RawModule m, Names names, Set<String> dropped) {
        this.m = m;
        this.printableNames = names == Names.PRINTABLE;
        this.noNames = names == Names.NONE;
        this.dropped = dropped;
    }

    public static byte[] of(byte[] binary, boolean printableNames) {
        return of(binary, printableNames ? Names.PRINTABLE : Names.ALL, Set.of());
    }

    /** The canonical form keeping {@code names} and leaving out the custom sections named in {@code dropped}. */
    public static byte[] of(byte[] binary, Names names, Set<String> dropped) {
        CanonicalForm c = new CanonicalForm(RawModule.read(binary), names, dropped);
        c.write();
        return c.out.toByteArray();
    }

    /** Where two canonical forms first differ, with the bytes around it, for messages. */
    public static String firstDifference(byte[] a, byte[] b) {
        int i = Arrays.mismatch(a, b);
        if (i < 0) return "equal";
        int from = Math.max(0, i - 16);
        HexFormat hex = HexFormat.of();
        return "first difference at byte " + i + " (of " + a.length + " and " + b.length + "): ..."
                + hex.formatHex(a, from, Math.min(a.length, i + 24)) + "... vs ..." + hex.formatHex(b, from, Math.min(b.length, i + 24)) + "...";
    }

    /** True when the bytes are a well-formed module as {@link RawModule} reads them. */
    public static boolean readable(byte[] binary) {
        try {
            RawModule.read(binary);
            return true;
        } catch (RawReader.RawFormatException e) {
            return false;
        }
    }

    private void write() {
        out.bytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        customs(0);
        for (int id : m.sectionOrder) {
            if (id != 12) section(id);
            customs(id);
        }
        names();
    }

    private void customs(int after) {
        for (RawModule.Custom c : m.customs) {
            if (c.after() != after || c.nameString().equals("name") || dropped.contains(c.nameString())) continue;
            ByteSink s = new ByteSink();
            s.name(c.name());
            s.bytes(m.bytes, c.start(), c.end() - c.start());
            out.byte_(0);
            out.sized(s);
        }
    }

    /** Sections the text format writes only when they have entries. */
    private boolean empty(int id) {
        return switch (id) {
            case 1 -> m.types.isEmpty();
            case 2 -> m.imports.isEmpty();
            case 3 -> m.functions.isEmpty();
            case 4 -> m.tables.isEmpty();
            case 5 -> m.memories.isEmpty();
            case 6 -> m.globals.isEmpty();
            case 7 -> m.exports.isEmpty();
            case 9 -> m.elems.isEmpty();
            case 10 -> m.codes.isEmpty();
            case 11 -> m.datas.isEmpty();
            case 13 -> m.tags.isEmpty();
            default -> false;
        };
    }

    private void section(int id) {
        if (empty(id)) return;
        ByteSink s = new ByteSink(256);
        switch (id) {
            case 1 -> {
                s.u32(m.types.size());
                for (RecGroup g : m.types) {
                    if (g.types().size() != 1) {
                        s.byte_(0x4E);
                        s.u32(g.types().size());
                    }
                    for (SubType t : g.types()) RawTypes.encode(t, s);
                }
            }
            case 2 -> {
                s.u32(m.imports.size());
                for (RawModule.Import i : m.imports) {
                    s.name(i.module());
                    s.name(i.name());
                    s.byte_(i.kind());
                    switch (i.kind()) {
                        case RawModule.EXTERN_FUNC -> s.u32(i.index());
                        case RawModule.EXTERN_TABLE -> tableType(i.table(), s);
                        case RawModule.EXTERN_MEMORY -> i.memory().encode(s);
                        case RawModule.EXTERN_GLOBAL -> globalType(i.global(), s);
                        default -> {
                            s.byte_(0);
                            s.u32(i.index());
                        }
                    }
                }
            }
            case 3 -> {
                s.u32(m.functions.size());
                for (long f : m.functions) s.u32(f);
            }
            case 4 -> {
                s.u32(m.tables.size());
                for (RawModule.Table t : m.tables) {
                    if (t.init() != null) {
                        s.byte_(0x40);
                        s.byte_(0);
                    }
                    tableType(t.type(), s);
                    if (t.init() != null) expr(t.init(), s);
                }
            }
            case 5 -> {
                s.u32(m.memories.size());
                for (RawModule.Limits l : m.memories) l.encode(s);
            }
            case 13 -> {
                s.u32(m.tags.size());
                for (long t : m.tags) {
                    s.byte_(0);
                    s.u32(t);
                }
            }
            case 6 -> {
                s.u32(m.globals.size());
                for (RawModule.Global g : m.globals) {
                    globalType(g.type(), s);
                    expr(g.init(), s);
                }
            }
            case 7 -> {
                s.u32(m.exports.size());
                for (RawModule.Export e : m.exports) {
                    s.name(e.name());
                    s.byte_(e.kind());
                    s.u32(e.index());
                }
            }
            case 8 -> s.u32(m.start);
            case 9 -> {
                s.u32(m.elems.size());
                for (RawModule.Elem e : m.elems) elem(e, s);
            }
            case 10 -> {
                s.u32(m.codes.size());
                for (RawModule.Code c : m.codes) {
                    ByteSink body = new ByteSink(64);
                    locals(c, body);
                    expr(c.body(), body);
                    s.sized(body);
                }
            }
            case 11 -> {
                s.u32(m.datas.size());
                for (RawModule.Data d : m.datas) {
                    if (d.mode() == 1) {
                        s.byte_(1);
                    } else if (d.memory() == 0) {
                        s.byte_(0);
                        expr(d.offset(), s);
                    } else {
                        s.byte_(2);
                        s.u32(d.memory());
                        expr(d.offset(), s);
                    }
                    s.u32(d.length());
                    s.bytes(m.bytes, d.start(), d.length());
                }
            }
            default -> throw new IllegalStateException("section " + id);
        }
        out.byte_(id);
        out.sized(s);
    }

    private static void tableType(RawModule.TableType t, ByteSink s) {
        t.type().encode(s);
        t.limits().encode(s);
    }

    private static void globalType(RawModule.GlobalType g, ByteSink s) {
        g.type().encode(s);
        s.byte_(g.mutable() ? 1 : 0);
    }

    private void locals(RawModule.Code c, ByteSink s) {
        ByteSink groups = new ByteSink();
        int n = 0;
        ValT run = null;
        long count = 0;
        for (RawModule.Local l : c.locals()) {
            if (l.count() == 0) continue;
            if (run != null && run.equals(l.type())) {
                count += l.count();
                continue;
            }
            if (run != null) {
                groups.u32(count);
                run.encode(groups);
                n++;
            }
            run = l.type();
            count = l.count();
        }
        if (run != null) {
            groups.u32(count);
            run.encode(groups);
            n++;
        }
        s.u32(n);
        s.append(groups);
    }

    private void expr(RawModule.Expr e, ByteSink s) {
        RawReader r = new RawReader(m.bytes, e.start(), e.end());
        RawInstruction in = new RawInstruction(r);
        boolean pendingElse = false;
        while (!in.atEnd()) {
            Opcode op = in.next();
            if (pendingElse && op != Opcode.END) s.byte_(0x05);
            pendingElse = op == Opcode.ELSE;
            if (!pendingElse) in.encode(s);
        }
    }

    private void elem(RawModule.Elem e, ByteSink s) {
        boolean exprs = e.type() != null;
        boolean funcref = exprs && e.type().nullable() && e.type().abstractHeap() && e.type().heap() == 0x70;
        switch (e.mode()) {
            case 0 -> {
                if (!exprs) {
                    if (e.table() == 0) {
                        s.byte_(0);
                        expr(e.offset(), s);
                    } else {
                        s.byte_(2);
                        s.u32(e.table());
                        expr(e.offset(), s);
                        s.byte_(0);
                    }
                } else if (e.table() == 0 && funcref) {
                    s.byte_(4);
                    expr(e.offset(), s);
                } else {
                    s.byte_(6);
                    s.u32(e.table());
                    expr(e.offset(), s);
                    e.type().encode(s);
                }
            }
            case 1, 2 -> {
                int flags = e.mode() == 1 ? 1 : 3;
                s.byte_(exprs ? flags | 4 : flags);
                if (exprs) e.type().encode(s);
                else s.byte_(0);
            }
            default -> throw new IllegalStateException();
        }
        if (exprs) {
            s.u32(e.exprs().size());
            for (RawModule.Expr x : e.exprs()) expr(x, s);
        } else {
            s.u32(e.funcs().size());
            for (long f : e.funcs()) s.u32(f);
        }
    }

    private void names() {
        if (noNames) return;
        RawModule.Names n = m.names;
        ByteSink s = new ByteSink();
        if (n.module != null && (!printableNames || (n.module.length > 0 && Literals.isUtf8(n.module)))) {
            ByteSink sub = new ByteSink();
            sub.name(n.module);
            subsection(s, 0, sub);
        }
        for (int subsection = 1; subsection <= 11; subsection++) {
            final int id = subsection;
            if (id == 2 || id == 3 || id == 10) {
                TreeMap<Long, TreeMap<Long, byte[]>> map = n.indirect.get(id);
                if (map == null) continue;
                TreeMap<Long, TreeMap<Long, byte[]>> kept = new TreeMap<>();
                map.forEach((outer, inner) -> {
                    TreeMap<Long, byte[]> k = printableNames ? printable(id, inner) : inner;
                    if (!k.isEmpty()) kept.put(outer, k);
                });
                if (kept.isEmpty()) continue;
                ByteSink sub = new ByteSink();
                sub.u32(kept.size());
                kept.forEach((outer, inner) -> {
                    sub.u32(outer);
                    nameMap(inner, sub);
                });
                subsection(s, id, sub);
            } else {
                TreeMap<Long, byte[]> map = n.direct.get(id);
                if (map == null) continue;
                TreeMap<Long, byte[]> k = printableNames ? printable(id, map) : map;
                if (k.isEmpty()) continue;
                ByteSink sub = new ByteSink();
                nameMap(k, sub);
                subsection(s, id, sub);
            }
        }
        if (s.size() == 0) return;
        ByteSink section = new ByteSink();
        section.name("name");
        section.append(s);
        out.byte_(0);
        out.sized(section);
    }

    /** The names a print-parse round trip keeps: unique ones; for functions and tags every valid one; all labels. */
    private static TreeMap<Long, byte[]> printable(int id, TreeMap<Long, byte[]> map) {
        if (id == 1 || id == 11 || id == 3) {
            TreeMap<Long, byte[]> k = new TreeMap<>();
            map.forEach((i, name) -> {
                if (Literals.isUtf8(name) && (id != 3 || name.length > 0)) k.put(i, name);
            });
            return k;
        }
        return PrintedNames.unique(map);
    }

    private static void nameMap(Map<Long, byte[]> map, ByteSink s) {
        s.u32(map.size());
        map.forEach((i, name) -> {
            s.u32(i);
            s.name(name);
        });
    }

    private static void subsection(ByteSink s, int id, ByteSink contents) {
        s.byte_(id);
        s.sized(contents);
    }

    static {
        // the canonical form relies on the opcode table knowing every instruction it re-encodes
        if (Opcode.prefixed(Opcode.PREFIX_FB, 0) == null) throw new AssertionError("no GC instructions in the opcode table");
    }
}
