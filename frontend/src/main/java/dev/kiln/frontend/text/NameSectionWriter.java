package dev.kiln.frontend.text;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code name} custom section's contents: subsections in id order (0 module, 1 functions,
 * 2 locals, 3 labels, 4 types, 5 tables, 6 memories, 7 globals, 8 element segments, 9 data
 * segments, 10 fields, 11 tags), each present only when it names something.
 */
final class NameSectionWriter {
    private final ByteSink out = new ByteSink();

    boolean isEmpty() {
        return out.size() == 0;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    void module(byte[] name) {
        if (name == null) return;
        ByteSink s = new ByteSink();
        s.name(name);
        subsection(0, s);
    }

    /** A name map from an index space's identifiers, with annotations taking precedence. */
    void names(int id, IndexSpace space, Map<Integer, byte[]> annotated) {
        ByteSink s = new ByteSink();
        int n = 0;
        for (int i = 0; i < space.size(); i++) {
            byte[] name = annotated.get(i);
            if (name == null && space.name(i) != null) name = space.name(i).getBytes(StandardCharsets.UTF_8);
            if (name == null) continue;
            s.u32(i);
            s.name(name);
            n++;
        }
        if (n == 0) return;
        ByteSink sub = new ByteSink();
        sub.u32(n);
        sub.append(s);
        subsection(id, sub);
    }

    /** An indirect name map (index -> index -> name), sorted by both indices. */
    void indirect(int id, Map<Integer, Map<Integer, String>> map) {
        if (map.isEmpty()) return;
        ByteSink s = new ByteSink();
        s.u32(map.size());
        map.forEach((outer, inner) -> {
            s.u32(outer);
            s.u32(inner.size());
            inner.forEach((i, name) -> {
                s.u32(i);
                s.name(name);
            });
        });
        subsection(id, s);
    }

    private void subsection(int id, ByteSink contents) {
        out.byte_(id);
        out.sized(contents);
    }
}
