package dev.kiln.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Export lookups by name and kind, with messages that say what there is instead. */
final class ExportLookup {
    private ExportLookup() {
    }

    static <T extends Extern> Optional<T> find(Map<String, Extern> exports, String name, Class<T> kind) {
        Extern e = exports.get(name);
        return kind.isInstance(e) ? Optional.of(kind.cast(e)) : Optional.empty();
    }

    static <T extends Extern> T require(Map<String, Extern> exports, String name, Class<T> kind, String owner) {
        Extern e = exports.get(name);
        if (kind.isInstance(e)) return kind.cast(e);
        String what = kindName(kind);
        if (e != null) {
            throw new NoSuchExportException(name, "export '" + name + "' of " + owner + " is a " + kindName(e.getClass()) + ", not a " + what);
        }
        List<String> same = new ArrayList<>();
        exports.forEach((n, v) -> {
            if (kind.isInstance(v)) same.add(n);
        });
        throw new NoSuchExportException(name, owner + " has no exported " + what + " named '" + name + "'"
                + (same.isEmpty() ? " (it exports no " + what + ")" : " (its exported " + (what.equals("memory") ? "memories" : what + "s") + ": " + String.join(", ", same) + ")"));
    }

    static String kindName(Class<?> kind) {
        if (FunctionInstance.class.isAssignableFrom(kind)) return "function";
        if (MemoryInstance.class.isAssignableFrom(kind)) return "memory";
        if (TableInstance.class.isAssignableFrom(kind)) return "table";
        return "global";
    }
}
