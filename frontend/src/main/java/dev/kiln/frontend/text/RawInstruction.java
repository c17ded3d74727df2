package dev.kiln.frontend.text;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.text.RawTypes.ValT;

import java.util.Arrays;

/**
 * Reads instructions of every WebAssembly 3.0 proposal from a byte range, one at a time, with
 * their immediates as {@link Opcode#immediate} describes them, and writes one back in its shortest
 * encoding. The fields hold the current instruction's immediates and are overwritten by
 * {@link #next()}; which fields an instruction uses depends on its immediate shape:
 * <ul>
 * <li>{@code a}: the index, label, constant (I32/I64 value, F32/F64 bits), memarg alignment
 *     exponent, first of two indices, cast flags;</li>
 * <li>{@code b}: the second index, memarg memory, count;</li>
 * <li>{@code c}: memarg offset; {@code d}: lane;</li>
 * <li>{@code heap1}, {@code heap2}: heap types (ref.null, ref.test, ref.cast, br_on_cast);</li>
 * <li>block types: {@code blockKind} 0 empty, 1 a value type ({@code blockType}), 2 a type index ({@code a});</li>
 * <li>{@code labels} (br_table, without the default), {@code types} (typed select),
 *     {@code v128} (v128.const, i8x16.shuffle), {@code catches} (try_table: kind, tag, label triples).</li>
 * </ul>
 */
final class RawInstruction {
    private final RawReader r;
    Opcode op;
    int offset;
    long a;
    long b;
    long c;
    int d;
    ValT heap1;
    ValT heap2;
    int blockKind;
    ValT blockType;
    long[] labels = new long[8];
    int labelCount;
    ValT[] types = new ValT[2];
    int typeCount;
    byte[] v128 = new byte[16];
    long[] catches = new long[12];
    int catchCount;

    RawInstruction(RawReader r) {
        this.r = r;
    }

    boolean atEnd() {
        return r.atEnd();
    }

    Opcode next() {
        offset = r.pos;
        int byte0 = r.u8();
        Opcode o;
        if (byte0 == Opcode.PREFIX_FC || byte0 == Opcode.PREFIX_FD || byte0 == Opcode.PREFIX_FB) {
            long sub = r.u32();
            o = Opcode.prefixed(byte0, sub);
        } else {
            o = Opcode.core(byte0);
        }
        if (o == null) throw new RawReader.RawFormatException(offset, "illegal opcode");
        op = o;
        immediates(o);
        return o;
    }

    private void immediates(Opcode o) {
        switch (o.immediate) {
            case NONE -> { }
            case BLOCK_TYPE -> blockType();
            case LABEL, FUNC, LOCAL, GLOBAL, TABLE, DATA, ELEM, TAG, TYPE, MEMORY -> a = r.u32();
            case LABEL_TABLE -> {
                int n = r.count(1);
                if (labels.length < n) labels = new long[n];
                for (int i = 0; i < n; i++) labels[i] = r.u32();
                labelCount = n;
                a = r.u32();
            }
            case TYPE_TABLE, TABLE_TABLE, ELEM_TABLE, DATA_MEMORY, MEMORY_MEMORY, TYPE_FIELD, TYPE_COUNT, TYPE_DATA, TYPE_ELEM,
                 TYPE_TYPE -> {
                a = r.u32();
                b = r.u32();
            }
            case MEMARG -> memarg();
            case MEMARG_LANE -> {
                memarg();
                d = r.u8();
            }
            case LANE -> d = r.u8();
            case I32 -> a = r.s32();
            case I64 -> a = r.s64();
            case F32 -> a = r.f32() & 0xFFFF_FFFFL;
            case F64 -> a = r.f64();
            case V128, SHUFFLE -> {
                for (int i = 0; i < 16; i++) v128[i] = (byte) r.u8();
            }
            case SELECT_TYPES -> {
                int n = r.count(1);
                if (types.length < n) types = new ValT[n];
                for (int i = 0; i < n; i++) types[i] = RawTypes.valType(r);
                typeCount = n;
            }
            case REF_TYPE -> heap1 = RawTypes.heapType(r, 0x63);
            case HEAP_TYPE -> heap1 = RawTypes.heapType(r, o == Opcode.REF_TEST || o == Opcode.REF_CAST ? 0x64 : 0x63);
            case CAST_BRANCH -> {
                int at = r.pos;
                a = r.u8();
                if (a > 3) throw new RawReader.RawFormatException(at, "malformed cast flags");
                b = r.u32();
                heap1 = RawTypes.heapType(r, (a & 1) != 0 ? 0x63 : 0x64);
                heap2 = RawTypes.heapType(r, (a & 2) != 0 ? 0x63 : 0x64);
            }
            case BLOCK_CATCHES -> {
                blockType();
                int n = r.count(2);
                if (catches.length < 3 * n) catches = new long[3 * n];
                for (int i = 0; i < n; i++) {
                    int at = r.pos;
                    int kind = r.u8();
                    if (kind > 3) throw new RawReader.RawFormatException(at, "malformed catch kind");
                    catches[3 * i] = kind;
                    catches[3 * i + 1] = kind < 2 ? r.u32() : -1;
                    catches[3 * i + 2] = r.u32();
                }
                catchCount = n;
            }
        }
    }

    private void blockType() {
        int x = r.peek();
        if (x == 0x40) {
            r.u8();
            blockKind = 0;
        } else if (x == 0x7F || x == 0x7E || x == 0x7D || x == 0x7C || x == 0x7B || x == 0x63 || x == 0x64 || (x >= 0x69 && x <= 0x74)) {
            blockKind = 1;
            blockType = RawTypes.valType(r);
        } else {
            int at = r.pos;
            a = r.s33();
            if (a < 0) throw new RawReader.RawFormatException(at, "malformed block type");
            blockKind = 2;
        }
    }

    /** The flags of the last memarg read (bit 6: a memory index follows; 3.0 and multi-memory), even when malformed. */
    long memargFlags;

    private void memarg() {
        int at = r.pos;
        long flags = r.u32();
        memargFlags = flags;
        if (flags >= 128) throw new RawReader.RawFormatException(at, "malformed memop flags");
        a = flags & 0x3F;
        b = (flags & 0x40) != 0 ? r.u32() : 0;
        c = r.u64();
    }

    /** Writes the current instruction in its shortest encoding. */
    void encode(ByteSink out) {
        if (op.prefix != 0) {
            out.byte_(op.prefix);
            out.u32(op.code);
        } else {
            out.byte_(op.code);
        }
        switch (op.immediate) {
            case NONE -> { }
            case BLOCK_TYPE -> encodeBlockType(out);
            case LABEL, FUNC, LOCAL, GLOBAL, TABLE, DATA, ELEM, TAG, TYPE, MEMORY -> out.u32(a);
            case LABEL_TABLE -> {
                out.u32(labelCount);
                for (int i = 0; i < labelCount; i++) out.u32(labels[i]);
                out.u32(a);
            }
            case TYPE_TABLE, TABLE_TABLE, ELEM_TABLE, DATA_MEMORY, MEMORY_MEMORY, TYPE_FIELD, TYPE_COUNT, TYPE_DATA, TYPE_ELEM,
                 TYPE_TYPE -> {
                out.u32(a);
                out.u32(b);
            }
            case MEMARG -> encodeMemarg(out);
            case MEMARG_LANE -> {
                encodeMemarg(out);
                out.byte_(d);
            }
            case LANE -> out.byte_(d);
            case I32 -> out.s64((int) a);
            case I64 -> out.s64(a);
            case F32 -> out.f32((int) a);
            case F64 -> out.f64(a);
            case V128, SHUFFLE -> out.bytes(v128);
            case SELECT_TYPES -> {
                out.u32(typeCount);
                for (int i = 0; i < typeCount; i++) types[i].encode(out);
            }
            case REF_TYPE, HEAP_TYPE -> heap1.encodeHeap(out);
            case CAST_BRANCH -> {
                out.byte_((int) a);
                out.u32(b);
                heap1.encodeHeap(out);
                heap2.encodeHeap(out);
            }
            case BLOCK_CATCHES -> {
                encodeBlockType(out);
                out.u32(catchCount);
                for (int i = 0; i < catchCount; i++) {
                    out.byte_((int) catches[3 * i]);
                    if (catches[3 * i] < 2) out.u32(catches[3 * i + 1]);
                    out.u32(catches[3 * i + 2]);
                }
            }
        }
    }

    private void encodeBlockType(ByteSink out) {
        switch (blockKind) {
            case 0 -> out.byte_(0x40);
            case 1 -> blockType.encode(out);
            default -> out.s64(a);
        }
    }

    private void encodeMemarg(ByteSink out) {
        out.u32(a | (b != 0 ? 0x40 : 0));
        if (b != 0) out.u32(b);
        out.u64(c);
    }

    long[] labelsCopy() {
        return Arrays.copyOf(labels, labelCount);
    }
}
