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
    /** memarg: align flags (bit 6: a memidx follows), [memidx], u64 offset */
    MEMARG,
    /** memidx (a reserved 0x00 byte in WebAssembly 2.0) */
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
    /** dataidx memidx (memory.init) */
    DATA_MEMORY,
    /** dataidx (data.drop) */
    DATA,
    /** memidx memidx (memory.copy: destination, source) */
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
    /** typeidx (call_ref, return_call_ref) */
    TYPE,
    /** blocktype vec(catch) (try_table); a catch is kind [tagidx] labelidx */
    TRY_TABLE_CATCHES
}
