package dev.kiln.frontend.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One index space of a module (functions, tables, types, locals, a struct type's fields, ...):
 * the identifiers bound in it and how many entries it has. Binding an identifier twice is an
 * error, as is using one that is not bound.
 */
final class IndexSpace {
    private final String what;
    private final Map<String, Integer> byName = new HashMap<>();
    /** The identifier of each entry, or null: what the name section gets. */
    private final List<String> names = new ArrayList<>();

    IndexSpace(String what) {
        this.what = what;
    }

    String what() {
        return what;
    }

    int size() {
        return names.size();
    }

    /** Adds an entry, named when {@code id} is not null; {@code token} locates a duplicate. */
    int add(String id, Cursor c, int token) {
        int index = names.size();
        if (id != null) {
            if (byName.putIfAbsent(id, index) != null) throw c.errorAt(token, "duplicate " + what + " $" + id);
        }
        names.add(id);
        return index;
    }

    /** Adds {@code n} unnamed entries. */
    void addAnonymous(long n, Cursor c) {
        if (names.size() + n > 100_000_000) throw c.error("too many " + what + "s");
        for (long i = 0; i < n; i++) names.add(null);
    }

    String name(int index) {
        return index < names.size() ? names.get(index) : null;
    }

    /** The index of a bound identifier, or -1. */
    int lookup(String id) {
        Integer i = byName.get(id);
        return i == null ? -1 : i;
    }

    /** Reads an index: a u32 literal, or an identifier bound in this space. */
    long resolve(Cursor c) {
        int tok = c.peek();
        String id = c.id();
        if (id != null) {
            Integer i = byName.get(id);
            if (i == null) throw c.errorAt(tok, "unknown " + what + " $" + id);
            return i;
        }
        if (!c.atNat()) throw c.expected("a " + what + " index");
        return c.u32();
    }
}
