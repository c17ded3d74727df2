package dev.kiln.frontend;

/**
 * Decodes one instruction at a time from a function body or constant expression: the opcode and
 * its immediates, as {@link Opcode#immediate} describes them. The decoder, the validator, the IR
 * builder and the printers all read code through this class, so the binary encoding of code is
 * defined here once. Fields are overwritten by each {@link #next()}; nothing is allocated per
 * instruction except for {@code br_table} targets beyond the reusable buffer.
 */
public final class InstructionReader {
    private final WasmReader in;

    private Opcode op;
    private int offset;
    private long imm0;
    private long imm1;
    private long v128Low;
    private long v128High;
    private int lane;
    private int[] targets = new int[16];
    private int targetCount;
    private ValType[] selectTypes = new ValType[1];
    private int selectTypeCount;

    public InstructionReader(WasmReader in) {
        this.in = in;
    }

    public WasmReader reader() {
        return in;
    }

    public boolean atEnd() {
        return in.atEnd();
    }

    /** Decodes the next instruction. Throws {@link MalformedModuleException} on an illegal opcode or immediate. */
    public Opcode next() {
        offset = in.position();
        int b = in.u8();
        Opcode o;
        if (b == Opcode.PREFIX_FC || b == Opcode.PREFIX_FD) {
            long sub = in.u32();
            o = Opcode.prefixed(b, sub);
        } else {
            o = Opcode.core(b);
        }
        if (o == null || !o.feature.decoded) throw new MalformedModuleException("illegal opcode", offset);
        op = o;
        readImmediates(o);
        return o;
    }

    private void readImmediates(Opcode o) {
        switch (o.immediate) {
            case NONE -> { }
            case BLOCK_TYPE -> {
                int at = in.position();
                imm0 = in.s33();
                if (imm0 < 0 && imm0 != BlockType.EMPTY && BlockType.valueType(imm0) == null) {
                    throw new MalformedModuleException("malformed block type", at);
                }
            }
            case LABEL, FUNC, LOCAL, GLOBAL, TABLE, DATA, ELEM -> imm0 = in.u32();
            case LABEL_TABLE -> {
                int n = in.count(1);
                if (targets.length < n) targets = new int[n];
                for (int i = 0; i < n; i++) targets[i] = (int) Math.min(in.u32(), Integer.MAX_VALUE);
                targetCount = n;
                imm0 = in.u32();
            }
            case TYPE_TABLE, TABLE_TABLE, ELEM_TABLE -> {
                imm0 = in.u32();
                imm1 = in.u32();
            }
            case MEMARG -> readMemarg();
            case MEMARG_LANE -> {
                readMemarg();
                lane = in.u8();
            }
            case LANE -> lane = in.u8();
            case MEMORY -> zeroByte();
            case MEMORY_MEMORY -> {
                zeroByte();
                zeroByte();
            }
            case DATA_MEMORY -> {
                imm0 = in.u32();
                zeroByte();
            }
            case I32 -> imm0 = in.s32();
            case I64 -> imm0 = in.s64();
            case F32 -> imm0 = in.f32Bits() & 0xFFFFFFFFL;
            case F64 -> imm0 = in.f64Bits();
            case V128, SHUFFLE -> {
                v128Low = in.f64Bits();
                v128High = in.f64Bits();
            }
            case SELECT_TYPES -> {
                int n = in.count(1);
                if (selectTypes.length < n) selectTypes = new ValType[n];
                for (int i = 0; i < n; i++) selectTypes[i] = valType();
                selectTypeCount = n;
            }
            case REF_TYPE -> {
                int at = in.position();
                ValType t = ValType.fromCode(in.u8());
                if (t == null || !t.isReference()) throw new MalformedModuleException("malformed reference type", at);
                imm0 = t.code;
            }
        }
    }

    private void readMemarg() {
        imm0 = in.u32(); // alignment exponent
        imm1 = in.u32(); // offset
    }

    private void zeroByte() {
        int at = in.position();
        if (in.u8() != 0) throw new MalformedModuleException("zero byte expected", at);
    }

    private ValType valType() {
        int at = in.position();
        ValType t = ValType.fromCode(in.u8());
        if (t == null) throw new MalformedModuleException("malformed value type", at);
        return t;
    }

    public Opcode opcode() {
        return op;
    }

    /** Offset of the current instruction's first byte in the module. */
    public int offset() {
        return offset;
    }

    /** The index immediate (label, function, local, global, table, type, data, element). */
    public int index() {
        return (int) imm0;
    }

    /** The index immediate as an unsigned value; indices above int range are reported invalid by callers. */
    public long indexUnsigned() {
        return imm0;
    }

    /** Second index: call_indirect's table, table.copy's source, table.init's table. */
    public long secondIndex() {
        return imm1;
    }

    public long blockType() {
        return imm0;
    }

    public int i32() {
        return (int) imm0;
    }

    public long i64() {
        return imm0;
    }

    public int f32Bits() {
        return (int) imm0;
    }

    public long f64Bits() {
        return imm0;
    }

    public long v128Low() {
        return v128Low;
    }

    public long v128High() {
        return v128High;
    }

    /** Shuffle lane {@code i} (0..15). */
    public int shuffleLane(int i) {
        long half = i < 8 ? v128Low : v128High;
        return (int) (half >>> ((i & 7) * 8)) & 0xFF;
    }

    /** memarg alignment exponent (log2). */
    public long memAlign() {
        return imm0;
    }

    /** memarg static offset (u32). */
    public long memOffset() {
        return imm1;
    }

    public int lane() {
        return lane;
    }

    public int brTableSize() {
        return targetCount;
    }

    public int brTableTarget(int i) {
        return targets[i];
    }

    public int brTableDefault() {
        return (int) Math.min(imm0, Integer.MAX_VALUE);
    }

    public ValType refType() {
        return ValType.fromCode((int) imm0);
    }

    public int selectTypeCount() {
        return selectTypeCount;
    }

    public ValType selectType(int i) {
        return selectTypes[i];
    }
}
