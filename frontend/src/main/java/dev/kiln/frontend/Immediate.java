package dev.kiln.frontend;

/** The shape of an instruction's immediate operands in the binary format. */
public enum Immediate {
    NONE,
    /** blocktype: 0x40, a value type, or an s33 type index. */
    BLOCK_TYPE,
    /** labelidx */
    LABEL,
    /** vec(labelidx) labelidx */
    LABEL_TABLE,
    /** funcidx */
    FUNC,
    /** typeidx tableidx (call_indirect) */
    TYPE_TABLE,
    /** localidx */
    LOCAL,
    /** globalidx */
    GLOBAL,
    /** tableidx */
    TABLE,
    /** memarg: align offset */
    MEMARG,
    /** a reserved 0x00 byte naming memory 0 */
    MEMORY,
    I32,
    I64,
    F32,
    F64,
    /** 16 bytes */
    V128,
    /** vec(valtype) (typed select) */
    SELECT_TYPES,
    /** reftype (ref.null) */
    REF_TYPE,
    /** dataidx 0x00 (memory.init) */
    DATA_MEMORY,
    /** dataidx (data.drop) */
    DATA,
    /** 0x00 0x00 (memory.copy) */
    MEMORY_MEMORY,
    /** elemidx tableidx (table.init) */
    ELEM_TABLE,
    /** elemidx (elem.drop) */
    ELEM,
    /** tableidx tableidx (table.copy: destination, source) */
    TABLE_TABLE,
    /** memarg laneidx */
    MEMARG_LANE,
    /** laneidx */
    LANE,
    /** 16 laneidx bytes (i8x16.shuffle) */
    SHUFFLE,
    /** tagidx (throw, legacy catch) */
    TAG,
    /** typeidx (call_ref, struct.new, array.get, ...) */
    TYPE,
    /** typeidx fieldidx (struct.get, struct.set) */
    TYPE_FIELD,
    /** typeidx u32 (array.new_fixed: the element count) */
    TYPE_COUNT,
    /** typeidx dataidx (array.new_data, array.init_data) */
    TYPE_DATA,
    /** typeidx elemidx (array.new_elem, array.init_elem) */
    TYPE_ELEM,
    /** typeidx typeidx (array.copy: destination, source) */
    TYPE_TYPE,
    /** heaptype (ref.test, ref.cast; the opcode says whether the target is nullable) */
    HEAP_TYPE,
    /** castflags labelidx heaptype heaptype (br_on_cast, br_on_cast_fail) */
    CAST_BRANCH,
    /** blocktype vec(catch) (try_table) */
    BLOCK_CATCHES
}
