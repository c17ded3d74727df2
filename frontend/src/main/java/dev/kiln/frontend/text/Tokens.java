package dev.kiln.frontend.text;

import java.util.Arrays;

/**
 * The tokens of a text, in parallel arrays: kind, byte range, and for {@code (} and annotation
 * tokens the index of the matching {@code )} (-1 when there is none), so a parser can skip a whole
 * parenthesised form in one step. The last token is always {@link TokenKind#EOF}.
 */
final class Tokens {
    final SourceText source;
    TokenKind[] kind;
    int[] start;
    int[] end;
    int[] match;
    int count;

    Tokens(SourceText source) {
        this.source = source;
        int capacity = Math.max(16, source.bytes().length / 5); // about one token per five bytes of text
        kind = new TokenKind[capacity];
        start = new int[capacity];
        end = new int[capacity];
        match = new int[capacity];
    }

    int add(TokenKind k, int s, int e) {
        if (count == kind.length) {
            int n = count * 2;
            kind = Arrays.copyOf(kind, n);
            start = Arrays.copyOf(start, n);
            end = Arrays.copyOf(end, n);
            match = Arrays.copyOf(match, n);
        }
        kind[count] = k;
        start[count] = s;
        end[count] = e;
        match[count] = -1;
        return count++;
    }

    String text(int i) {
        return source.text(start[i], end[i]);
    }

    /** True when token {@code i} is exactly the ASCII {@code word}. */
    boolean is(int i, String word) {
        int s = start[i];
        int n = end[i] - s;
        if (n != word.length()) return false;
        byte[] b = source.bytes();
        for (int k = 0; k < n; k++) {
            if (b[s + k] != word.charAt(k)) return false;
        }
        return true;
    }
}
