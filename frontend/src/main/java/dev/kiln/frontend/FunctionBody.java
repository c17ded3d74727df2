package dev.kiln.frontend;

import java.util.List;

/**
 * A defined function's code: its declared locals and the byte range of its instruction sequence in
 * the module binary ({@code [codeStart, codeEnd)}, the final {@code end} included).
 * {@code bodyStart} is the offset of the body's size field, as tools such as wasm-objdump count it.
 */
public record FunctionBody(int typeIndex, List<LocalGroup> locals, int localCount, int bodyStart, int codeStart,
                           int codeEnd) {
    public FunctionBody {
        locals = List.copyOf(locals);
    }

    public int codeLength() {
        return codeEnd - codeStart;
    }
}
