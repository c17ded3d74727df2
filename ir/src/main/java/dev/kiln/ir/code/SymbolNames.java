package dev.kiln.ir.code;

import dev.kiln.frontend.Module;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * ELF symbol names for a module's defined functions: the name-section name when there is one
 * (made unique with a {@code .N} suffix), else {@code func<index>}. Names are stable for a
 * given module, so compiled calls and the object file agree. They are worked out on first use
 * (a cache hit that never compiles or lists anything never needs them), and so is the reverse
 * map from a symbol to its function.
 */
public final class SymbolNames {
    private final Module module;
    private volatile String[] names;
    private volatile Map<String, Integer> indices;

    private SymbolNames(Module module) {
        this.module = module;
    }

    public static SymbolNames of(Module m) {
        return new SymbolNames(m);
    }

    private String[] names() {
        String[] n = names;
        if (n == null) {
            synchronized (this) {
                if (names == null) names = compute(module);
                n = names;
            }
        }
        return n;
    }

    private static String[] compute(Module m) {
        String[] names = new String[m.functionCount()];
        Set<String> used = new HashSet<>();
        used.add(Backend.TRAP_SYMBOL);
        for (int i = m.importedFunctionCount(); i < names.length; i++) {
            String base = m.names().functionName(i);
            if (base == null || base.isEmpty() || base.indexOf('\0') >= 0) base = "func" + i;
            String name = base;
            for (int k = 1; !used.add(name); k++) name = base + "." + k;
            names[i] = name;
        }
        return names;
    }

    /** The symbol of a defined function. */
    public String of(int funcIndex) {
        return names()[funcIndex];
    }

    /** The defined function whose symbol is {@code symbol}, or -1. */
    public int indexOf(String symbol) {
        Map<String, Integer> m = indices;
        if (m == null) {
            synchronized (this) {
                if (indices == null) {
                    String[] n = names();
                    Map<String, Integer> built = new HashMap<>(n.length * 2);
                    for (int i = 0; i < n.length; i++) if (n[i] != null) built.put(n[i], i);
                    indices = built;
                }
                m = indices;
            }
        }
        Integer i = m.get(symbol);
        return i == null ? -1 : i;
    }
}
