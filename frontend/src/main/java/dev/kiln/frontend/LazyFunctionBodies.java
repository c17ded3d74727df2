package dev.kiln.frontend;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The function bodies of a module decoded with {@link Decoder#decodeTrusted}: nothing of the code
 * section is read while decoding. The first access finds where each body starts (one pass over the
 * bodies' size fields); a body's locals are decoded when that body is first asked for. So a module
 * whose functions all run from cached native code never reads its code section at all.
 */
final class LazyFunctionBodies extends AbstractList<FunctionBody> {
    /** The whole binary, asked for at the first body. */
    private final Supplier<byte[]> bytes;
    private final int[] typeIndices;
    private final int contentStart;
    private final int contentEnd;
    private volatile int[] starts;
    private final FunctionBody[] decoded;

    /** {@code contentStart}: the first body's size field (just after the section's count). */
    LazyFunctionBodies(Supplier<byte[]> bytes, int[] typeIndices, int contentStart, int contentEnd) {
        this.bytes = bytes;
        this.typeIndices = typeIndices;
        this.contentStart = contentStart;
        this.contentEnd = contentEnd;
        this.decoded = new FunctionBody[typeIndices.length];
    }

    int[] typeIndices() {
        return typeIndices;
    }

    @Override
    public int size() {
        return typeIndices.length;
    }

    @Override
    public FunctionBody get(int i) {
        FunctionBody b = decoded[i];
        if (b == null) {
            b = decode(i);
            decoded[i] = b; // a racing thread decodes the same value
        }
        return b;
    }

    private int[] starts() {
        int[] s = starts;
        if (s == null) {
            s = new int[typeIndices.length];
            WasmReader r = new WasmReader(bytes.get(), contentStart, contentEnd);
            for (int i = 0; i < s.length; i++) {
                s[i] = r.position();
                int size = r.count(1);
                r.skip(size);
            }
            starts = s;
        }
        return s;
    }

    private FunctionBody decode(int i) {
        int bodyStart = starts()[i];
        WasmReader r = new WasmReader(bytes.get(), bodyStart, contentEnd);
        int size = r.count(1);
        int end = r.position() + size;
        int groups = r.count(2);
        List<LocalGroup> locals = new ArrayList<>(Math.min(groups, 16));
        long total = 0;
        for (int g = 0; g < groups; g++) {
            long c = r.u32();
            ValType t = TypeReader.valType(r); // 3.0 reference types take more than one byte
            total += c;
            if (c > 0) locals.add(new LocalGroup((int) Math.min(c, Integer.MAX_VALUE), t));
        }
        return new FunctionBody(typeIndices[i], locals, (int) total, bodyStart, r.position(), end);
    }
}
