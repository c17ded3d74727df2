package dev.kiln.frontend.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The types of the binary format as {@link RawModule} reads them: value, storage, heap and
 * composite types, kept close to their encoding so they can be printed and written again.
 */
final class RawTypes {
    private RawTypes() {
    }

    /**
     * A value or storage type. {@code code}: 0x7F i32, 0x7E i64, 0x7D f32, 0x7C f64, 0x7B v128,
     * 0x78 i8, 0x77 i16, 0x63 a nullable reference, 0x64 a non-null reference. For references
     * {@code heap} is an abstract heap type's code when {@code abstractHeap}, else a type index.
     */
    record ValT(int code, boolean abstractHeap, long heap) {
        static ValT num(int code) {
            return new ValT(code, false, 0);
        }

        boolean isRef() {
            return code == 0x63 || code == 0x64;
        }

        boolean nullable() {
            return code == 0x63;
        }

        /** The shortest encoding: nullable abstract references as their one-byte shorthand. */
        void encode(ByteSink out) {
            if (!isRef()) {
                out.byte_(code);
            } else if (nullable() && abstractHeap) {
                out.byte_((int) heap);
            } else {
                out.byte_(code);
                encodeHeap(out);
            }
        }

        void encodeHeap(ByteSink out) {
            if (abstractHeap) out.byte_((int) heap);
            else out.s64(heap);
        }
    }

    record Field(ValT type, boolean mutable) {
    }

    /** form 0x60 func (params, results), 0x5F struct (fields), 0x5E array (one field). */
    record CompType(int form, List<ValT> params, List<ValT> results, List<Field> fields) {
    }

    record SubType(boolean isFinal, List<Long> supers, CompType comp) {
        /** Written without {@code sub}: final, no supertypes. */
        boolean plain() {
            return isFinal && supers.isEmpty();
        }
    }

    /** A rec group; {@code explicit} when written with 0x4E (a lone type written bare is not). */
    record RecGroup(boolean explicit, List<SubType> types) {
    }

    /** A heap type: an abstract code (0x69..0x74) or an s33 type index. */
    static ValT heapType(RawReader r, int refCode) {
        int b = r.peek();
        if (b >= 0x69 && b <= 0x74) {
            r.u8();
            return new ValT(refCode, true, b);
        }
        int at = r.pos;
        long idx = r.s33();
        if (idx < 0) throw new RawReader.RawFormatException(at, "malformed heap type");
        return new ValT(refCode, false, idx);
    }

    static ValT valType(RawReader r) {
        int at = r.pos;
        int b = r.u8();
        return switch (b) {
            case 0x7F, 0x7E, 0x7D, 0x7C, 0x7B -> ValT.num(b);
            case 0x63, 0x64 -> heapType(r, b);
            default -> {
                if (b >= 0x69 && b <= 0x74) yield new ValT(0x63, true, b);
                throw new RawReader.RawFormatException(at, "malformed value type 0x" + Integer.toHexString(b));
            }
        };
    }

    static ValT storageType(RawReader r) {
        int b = r.peek();
        if (b == 0x78 || b == 0x77) {
            r.u8();
            return ValT.num(b);
        }
        return valType(r);
    }

    static Field fieldType(RawReader r) {
        ValT t = storageType(r);
        int at = r.pos;
        int m = r.u8();
        if (m > 1) throw new RawReader.RawFormatException(at, "malformed mutability");
        return new Field(t, m == 1);
    }

    static CompType compType(RawReader r) {
        int at = r.pos;
        int form = r.u8();
        switch (form) {
            case 0x60 -> {
                List<ValT> params = valTypes(r);
                List<ValT> results = valTypes(r);
                return new CompType(form, params, results, List.of());
            }
            case 0x5F -> {
                int n = r.count(2);
                List<Field> fields = new ArrayList<>(n);
                for (int i = 0; i < n; i++) fields.add(fieldType(r));
                return new CompType(form, List.of(), List.of(), fields);
            }
            case 0x5E -> {
                return new CompType(form, List.of(), List.of(), List.of(fieldType(r)));
            }
            default -> throw new RawReader.RawFormatException(at, "malformed type form 0x" + Integer.toHexString(form));
        }
    }

    static List<ValT> valTypes(RawReader r) {
        int n = r.count(1);
        List<ValT> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(valType(r));
        return out;
    }

    static SubType subType(RawReader r) {
        int b = r.peek();
        if (b == 0x50 || b == 0x4F) {
            r.u8();
            int n = r.count(1);
            List<Long> supers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) supers.add(r.u32());
            return new SubType(b == 0x4F, supers, compType(r));
        }
        return new SubType(true, List.of(), compType(r));
    }

    static RecGroup recGroup(RawReader r) {
        if (r.peek() == 0x4E) {
            r.u8();
            int n = r.count(1);
            List<SubType> types = new ArrayList<>(n);
            for (int i = 0; i < n; i++) types.add(subType(r));
            return new RecGroup(true, types);
        }
        return new RecGroup(false, List.of(subType(r)));
    }

    static void encode(SubType s, ByteSink out) {
        if (!s.plain()) {
            out.byte_(s.isFinal() ? 0x4F : 0x50);
            out.u32(s.supers().size());
            for (long x : s.supers()) out.u32(x);
        }
        CompType c = s.comp();
        out.byte_(c.form());
        switch (c.form()) {
            case 0x60 -> {
                out.u32(c.params().size());
                for (ValT t : c.params()) t.encode(out);
                out.u32(c.results().size());
                for (ValT t : c.results()) t.encode(out);
            }
            case 0x5F -> {
                out.u32(c.fields().size());
                for (Field f : c.fields()) encode(f, out);
            }
            default -> encode(c.fields().get(0), out);
        }
    }

    static void encode(Field f, ByteSink out) {
        f.type().encode(out);
        out.byte_(f.mutable() ? 1 : 0);
    }
}
