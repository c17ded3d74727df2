package dev.kiln.frontend;

/**
 * Reads the binary encodings of value types, reference types and heap types (WebAssembly 3.0):
 * the one place the decoder and the instruction reader share for them.
 */
final class TypeReader {
    private TypeReader() {
    }

    /** True when {@code b} can begin a value type (a one-byte type or a {@code ref} prefix). */
    static boolean startsValType(int b) {
        return ValType.fromCode(b) != null || b == ValType.REF_PREFIX || b == ValType.REF_NULL_PREFIX;
    }

    static ValType valType(WasmReader r) {
        int at = r.position();
        int b = r.u8();
        ValType t = ValType.fromCode(b);
        if (t != null) return t;
        if (b == ValType.REF_PREFIX || b == ValType.REF_NULL_PREFIX) return ValType.ref(b == ValType.REF_NULL_PREFIX, heapType(r));
        throw new MalformedModuleException("malformed value type", at);
    }

    static ValType refType(WasmReader r) {
        int at = r.position();
        ValType t = valType(r);
        if (!t.isReference()) throw new MalformedModuleException("malformed reference type", at);
        return t;
    }

    /** A heap type: an abstract type's byte or a type index, as an s33. */
    static HeapType heapType(WasmReader r) {
        int at = r.position();
        long s33 = r.s33();
        HeapType h = HeapType.fromEncoding(s33);
        if (h == null) throw new MalformedModuleException("malformed heap type", at);
        return h;
    }
}
