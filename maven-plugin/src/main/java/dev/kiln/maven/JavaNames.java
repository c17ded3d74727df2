package dev.kiln.maven;

import java.util.Set;

/** Java identifiers for names a WebAssembly module chooses (any UTF-8: "fd-write", "1st", "class"). */
final class JavaNames {
    private JavaNames() {}

    private static final Set<String> RESERVED = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch", "char",
            "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for",
            "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
            "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw",
            "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "yield", "record", "_");

    /** lowerCamelCase of the name's words (letters and digits; everything else separates words), never a keyword. */
    static String member(String name) {
        String camel = camel(name, false);
        return RESERVED.contains(camel) ? camel + "_" : camel;
    }

    /** UpperCamelCase, for a class. */
    static String type(String name) {
        return camel(name, true);
    }

    private static String camel(String name, boolean upperFirst) {
        StringBuilder out = new StringBuilder();
        boolean upperNext = upperFirst;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp) && Character.isJavaIdentifierPart(cp)) {
                if (out.isEmpty() && Character.isDigit(cp)) out.append('_');
                out.appendCodePoint(upperNext ? Character.toUpperCase(cp) : (out.isEmpty() && !upperFirst ? Character.toLowerCase(cp) : cp));
                upperNext = false;
            } else {
                upperNext = !out.isEmpty() || upperFirst;
            }
        }
        if (out.isEmpty()) out.append(upperFirst ? "Unnamed" : "unnamed");
        return out.toString();
    }
}
