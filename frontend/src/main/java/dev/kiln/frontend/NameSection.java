package dev.kiln.frontend;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The contents of the custom {@code name} section: module name, function names and local names.
 * A malformed name section does not make the module malformed (custom sections never do); it is
 * then ignored as a whole.
 */
public final class NameSection {
    public static final NameSection EMPTY = new NameSection(null, Map.of(), Map.of());

    private final String moduleName;
    private final Map<Integer, String> functionNames;
    private final Map<Integer, Map<Integer, String>> localNames;

    NameSection(String moduleName, Map<Integer, String> functionNames, Map<Integer, Map<Integer, String>> localNames) {
        this.moduleName = moduleName;
        this.functionNames = Collections.unmodifiableMap(functionNames);
        this.localNames = Collections.unmodifiableMap(localNames);
    }

    /** Parses a name section's contents; returns {@link #EMPTY} when they are malformed. */
    static NameSection parse(byte[] bytes, int start, int end) {
        try {
            WasmReader r = new WasmReader(bytes, start, end);
            String module = null;
            Map<Integer, String> funcs = new HashMap<>();
            Map<Integer, Map<Integer, String>> locals = new HashMap<>();
            int lastId = -1;
            while (!r.atEnd()) {
                int id = r.u8();
                int size = r.count(1);
                int subEnd = r.position() + size;
                if (id <= lastId) return EMPTY; // subsections are ordered and unique
                lastId = id;
                int old = r.pushLimit(subEnd);
                switch (id) {
                    case 0 -> module = r.name();
                    case 1 -> readNameMap(r, funcs);
                    case 2 -> {
                        int n = r.count(2);
                        for (int i = 0; i < n; i++) {
                            int func = r.u32AsInt("function index");
                            Map<Integer, String> m = new HashMap<>();
                            readNameMap(r, m);
                            locals.put(func, m);
                        }
                    }
                    default -> r.skip(r.remaining()); // other subsections (labels, types, ...) are skipped
                }
                if (!r.atEnd()) return EMPTY;
                r.popLimit(old);
            }
            return new NameSection(module, funcs, locals);
        } catch (ModuleException e) {
            return EMPTY;
        }
    }

    private static void readNameMap(WasmReader r, Map<Integer, String> into) {
        int n = r.count(2);
        for (int i = 0; i < n; i++) {
            int idx = r.u32AsInt("index");
            into.put(idx, r.name());
        }
    }

    /** The module's name, or null. */
    public String moduleName() {
        return moduleName;
    }

    /** The function's name, or null. */
    public String functionName(int funcIndex) {
        return functionNames.get(funcIndex);
    }

    public Map<Integer, String> functionNames() {
        return functionNames;
    }

    /** The local's name, or null. */
    public String localName(int funcIndex, int localIndex) {
        Map<Integer, String> m = localNames.get(funcIndex);
        return m == null ? null : m.get(localIndex);
    }

    public Map<Integer, Map<Integer, String>> localNames() {
        return localNames;
    }
}
