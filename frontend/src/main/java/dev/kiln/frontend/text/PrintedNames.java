package dev.kiln.frontend.text;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which names of a name section the printer can write as identifiers: within one index space (or
 * one function's locals, labels, one struct's fields) a name can be an identifier only once, so a
 * name given to several entries is kept for none of them (function and tag names are written
 * with {@code (@name "...")} then, which may repeat). Printing and parsing back keeps exactly these
 * names; the round-trip comparison uses the same rule.
 */
final class PrintedNames {
    private PrintedNames() {
    }

    /** The entries of {@code map} whose name no other entry has. */
    static TreeMap<Long, byte[]> unique(TreeMap<Long, byte[]> map) {
        Map<String, Integer> uses = new HashMap<>();
        for (byte[] n : map.values()) uses.merge(key(n), 1, Integer::sum);
        TreeMap<Long, byte[]> out = new TreeMap<>();
        map.forEach((i, n) -> {
            if (uses.get(key(n)) == 1 && Literals.isUtf8(n) && n.length > 0) out.put(i, n);
        });
        return out;
    }

    /** The names of {@code map} given to more than one entry. */
    static Set<String> repeated(TreeMap<Long, byte[]> map) {
        Set<String> seen = new HashSet<>();
        Set<String> out = new HashSet<>();
        for (byte[] n : map.values()) if (!seen.add(key(n))) out.add(key(n));
        return out;
    }

    private static String key(byte[] n) {
        return new String(n, StandardCharsets.ISO_8859_1);
    }

    /** {@code $name}, quoted when the name has characters an identifier cannot hold. */
    static String id(byte[] name) {
        String s = new String(name, StandardCharsets.UTF_8);
        boolean plain = !s.isEmpty();
        for (int i = 0; i < s.length() && plain; i++) plain = s.charAt(i) < 0x80 && Lexer.isIdChar(s.charAt(i));
        return plain ? "$" + s : "$" + quote(name);
    }

    /** A string literal of the bytes: printable ASCII as is, everything else escaped. */
    static String quote(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + 2).append('"');
        for (byte x : bytes) {
            int c = x & 0xFF;
            if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append('\\').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        return sb.append('"').toString();
    }
}
