package dev.kiln.ir.code;

import dev.kiln.frontend.Module;

import java.util.HashSet;
import java.util.Set;

/**
 * ELF symbol names for a module's defined functions: the name-section name when there is one
 * (made unique with a {@code .N} suffix), else {@code func<index>}. Names are stable for a
 * given module, so compiled calls and the object file agree.
 */
public final class SymbolNames {
    private final String[] names;

    private SymbolNames(String[] names) {
        this.names = names;
    }

    public static SymbolNames of(Module m) {
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
        return new SymbolNames(names);
    }

    /** The symbol of a defined function. */
    public String of(int funcIndex) {
        return names[funcIndex];
    }
}
