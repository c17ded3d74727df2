package dev.kiln.tests.fuzz.wasm;

import dev.kiln.tests.fuzz.wasm.Expr.*;

import java.util.ArrayList;
import java.util.List;

/**
 * The module's type section: its declared types, then every block type that needs an index
 * (parameters, or more than one result) and is not declared, in order of first use. The encoder
 * and the printer both number types through this, so binary and text agree.
 */
public final class TypeTable {
    private final List<FuncSig> types;

    private TypeTable(List<FuncSig> types) {
        this.types = types;
    }

    public static TypeTable of(FuzzModule m) {
        List<FuncSig> all = new ArrayList<>(m.types());
        for (FuzzFunction f : m.functions()) {
            ExprTree.forEach(f.body(), e -> {
                for (FuncSig s : blockSigs(e)) if (!s.inline() && !all.contains(s)) all.add(s);
            });
        }
        return new TypeTable(all);
    }

    /** The type a block-like node is written with, or null for other nodes. */
    public static FuncSig blockSig(Expr e) {
        return switch (e) {
            case Block b -> b.sig();
            case Loop l -> l.sig();
            case If i -> i.sig();
            case FuelGuard g -> new FuncSig(List.of(), g.types());
            default -> null;
        };
    }

    /** Every block type a node is written with: {@link #blockSig}, and a try_table's frame and landing blocks. */
    static List<FuncSig> blockSigs(Expr e) {
        if (e instanceof TryTable t) {
            List<FuncSig> out = new ArrayList<>(List.of(t.sig()));
            if (!t.handled().isEmpty()) out.add(new FuncSig(List.of(), t.sig().results()));
            for (Clause c : t.handled()) out.add(new FuncSig(List.of(), c.target().types()));
            return out;
        }
        FuncSig s = blockSig(e);
        return s == null ? List.of() : List.of(s);
    }

    public List<FuncSig> types() {
        return types;
    }

    public int indexOf(FuncSig s) {
        int i = types.indexOf(s);
        if (i < 0) throw new IllegalArgumentException("type not in the table: " + s);
        return i;
    }
}
