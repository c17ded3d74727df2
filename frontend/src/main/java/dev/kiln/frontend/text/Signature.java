package dev.kiln.frontend.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A function type as the text parser needs it: parameter and result types as their binary
 * encodings (type indices resolved), so two signatures are equal exactly when they encode alike.
 */
record Signature(List<byte[]> params, List<byte[]> results) {
    static final Signature EMPTY = new Signature(List.of(), List.of());

    boolean isEmpty() {
        return params.isEmpty() && results.isEmpty();
    }

    /** The encoding {@code 0x60 vec(params) vec(results)}. */
    void encode(ByteSink out) {
        out.byte_(0x60);
        out.u32(params.size());
        for (byte[] p : params) out.bytes(p);
        out.u32(results.size());
        for (byte[] r : results) out.bytes(r);
    }

    /** A key that is equal for equal signatures. */
    String key() {
        ByteSink s = new ByteSink();
        encode(s);
        return new String(s.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    boolean sameAs(Signature o) {
        return sameTypes(params, o.params) && sameTypes(results, o.results);
    }

    private static boolean sameTypes(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (!Arrays.equals(a.get(i), b.get(i))) return false;
        return true;
    }
}
