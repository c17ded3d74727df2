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
    /** A block type's single result, when the block type is a value type. */
    private ValType blockResult;
    private ValType refType;
    private long memory;
    /** try_table's catch clauses: kind (0 catch, 1 catch_ref, 2 catch_all, 3 catch_all_ref), tag, label. */
    private int[] catchKinds = new int[4];
    private long[] catchTags = new long[4];
    private long[] catchLabels = new long[4];
    private int catchCount;
    private ValType castSource;

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
        if (b == Opcode.PREFIX_FC || b == Opcode.PREFIX_FD || b == Opcode.PREFIX_FB) {
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
            case BLOCK_TYPE -> readBlockType();
            case BLOCK_CATCHES -> {
                readBlockType();
                int n = in.count(2);
                if (catchKinds.length < n) {
                    catchKinds = new int[n];
                    catchTags = new long[n];
                    catchLabels = new long[n];
                }
                for (int i = 0; i < n; i++) {
                    int at = in.position();
                    int kind = in.u8();
                    if (kind > 3) throw new MalformedModuleException("malformed catch clause kind " + kind, at);
                    catchKinds[i] = kind;
                    catchTags[i] = kind < 2 ? in.u32() : -1;
                    catchLabels[i] = in.u32();
                }
                catchCount = n;
            }
            case LABEL, FUNC, LOCAL, GLOBAL, TABLE, DATA, ELEM, TAG, TYPE -> imm0 = in.u32();
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
            case MEMORY -> {
                imm0 = in.u32();
                memory = imm0;
            }
            case MEMORY_MEMORY -> {
                imm0 = in.u32();
                imm1 = in.u32();
                memory = imm0;
            }
            case DATA_MEMORY -> {
                imm0 = in.u32();
                imm1 = in.u32();
                memory = imm1;
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
                HeapType h = TypeReader.heapType(in);
                refType = ValType.ref(true, h);
                imm0 = h.encoding();
            }
            case TYPE_FIELD, TYPE_COUNT, TYPE_DATA, TYPE_ELEM, TYPE_TYPE -> {
                imm0 = in.u32();
                imm1 = in.u32();
            }
            case HEAP_TYPE -> {
                HeapType h = TypeReader.heapType(in);
                refType = ValType.ref(o == Opcode.REF_TEST_NULL || o == Opcode.REF_CAST_NULL, h);
                imm0 = h.encoding();
            }
            case CAST_BRANCH -> {
                int at = in.position();
                int flags = in.u8();
                if (flags > 3) throw new MalformedModuleException("malformed cast flags " + flags, at);
                imm0 = in.u32();
                castSource = ValType.ref((flags & 1) != 0, TypeReader.heapType(in));
                refType = ValType.ref((flags & 2) != 0, TypeReader.heapType(in));
            }
        }
    }

    /** blocktype: 0x40, a value type (one byte or a ref prefix with its heap type), or an s33 type index. */
    private void readBlockType() {
        int b = in.peekU8();
        if (b == 0x40) {
            in.u8();
            imm0 = BlockType.EMPTY;
            blockResult = null;
        } else if (TypeReader.startsValType(b)) {
            blockResult = TypeReader.valType(in);
            imm0 = BlockType.VALUE;
        } else {
            int at = in.position();
            imm0 = in.s33();
            blockResult = null;
            if (imm0 < 0) throw new MalformedModuleException("malformed block type", at);
        }
    }

    /** memarg: flags (alignment exponent in bits 0-5, bit 6 = a memory index follows), [memidx], u64 offset. */
    private void readMemarg() {
        int at = in.position();
        long flags = in.u32();
        if (flags >= 128) throw new MalformedModuleException("malformed memop flags", at);
        memory = (flags & 64) != 0 ? in.u32() : 0;
        imm0 = flags & 63; // alignment exponent
        imm1 = in.u64(); // offset
    }

    private ValType valType() {
        return TypeReader.valType(in);
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

    /**
     * The memory an instruction uses: a memory access's memory (0 unless its memarg names one),
     * memory.size/grow/fill's, memory.copy's destination, memory.init's.
     */
    public long memoryIndex() {
        return memory;
    }

    /** Second index: struct.get/set's field, array.new_fixed's count, array.*_data/_elem's segment, array.copy's source type, call_indirect's table, table.copy's source, table.init's table, memory.copy's source memory, memory.init's memory. */
    public long secondIndex() {
        return imm1;
    }

    /**
     * The block type: {@link BlockType#EMPTY}, {@link BlockType#VALUE} (one result,
     * {@link #blockResult()}) or a type index (non-negative). {@link BlockType#resolve} turns it
     * into a function type.
     */
    public long blockType() {
        return imm0;
    }

    /** The single result of a value-type block type. */
    public ValType blockResult() {
        return blockResult;
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

    /** memarg static offset (u64; above 2^32-1 only valid for a 64-bit memory). */
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

    /** ref.null's type: the nullable reference to the immediate heap type. */
    public ValType refType() {
        return refType;
    }

    /** ref.null's heap type as an s33 ({@link HeapType#encoding}). */
    public long heapTypeEncoding() {
        return imm0;
    }

    /**
     * The reference type of ref.test / ref.cast (nullable for their {@code null} forms), and the
     * target type of br_on_cast / br_on_cast_fail.
     */
    public ValType targetType() {
        return refType;
    }

    /** br_on_cast / br_on_cast_fail: the source (operand) reference type. */
    public ValType castSource() {
        return castSource;
    }

    /** Number of try_table catch clauses. */
    public int catchCount() {
        return catchCount;
    }

    /** A catch clause's kind: 0 catch, 1 catch_ref, 2 catch_all, 3 catch_all_ref. */
    public int catchKind(int i) {
        return catchKinds[i];
    }

    /** A catch clause's tag index (-1 for catch_all and catch_all_ref). */
    public long catchTag(int i) {
        return catchTags[i];
    }

    /** A catch clause's label (relative depth, counted from outside the try_table). */
    public long catchLabel(int i) {
        return catchLabels[i];
    }

    public int selectTypeCount() {
        return selectTypeCount;
    }

    public ValType selectType(int i) {
        return selectTypes[i];
    }
}
