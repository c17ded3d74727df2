package dev.kiln.frontend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decodes a WebAssembly 2.0 binary into a {@link Module}. Decoding is complete: every section is
 * parsed, every function body is scanned instruction by instruction, so a module that decodes is
 * well-formed in the spec's sense and any malformation is reported here, never later. Nothing is
 * allocated in proportion to a declared count before the bytes that back it have been seen.
 */
public final class Decoder {
    private static final int MAGIC = 0x6D736100; // "\0asm" little-endian
    private static final int VERSION = 1;

    private final byte[] bytes;
    private final WasmReader r;
    /** Trusted decoding: the code section is not read (see {@link #decodeTrusted}). */
    private final boolean lazyBodies;
    private LazyFunctionBodies lazy;
    /** Where the binary's bodies are, whole: {@code bytes} itself, or read on demand for a {@link CodelessImage}. */
    private final WholeBinary whole;
    /** For a {@link CodelessImage}: where its bodies were cut out, and how many bytes (else no hole). */
    private final int holeStart;
    private final int holeLength;

    private final List<SubType> types = new ArrayList<>();
    private final List<RecGroup> recGroups = new ArrayList<>();
    private final List<Import> imports = new ArrayList<>();
    private final List<Integer> functionTypeIndices = new ArrayList<>();
    private final List<TableType> tables = new ArrayList<>();
    private final List<ConstExpr> tableInits = new ArrayList<>();
    private final List<TagType> tags = new ArrayList<>();
    private final List<MemoryType> memories = new ArrayList<>();
    private final List<Global> globals = new ArrayList<>();
    private final List<Export> exports = new ArrayList<>();
    private int startFunction = -1;
    private final List<ElementSegment> elements = new ArrayList<>();
    private int dataCount = -1;
    private final List<FunctionBody> bodies = new ArrayList<>();
    private final List<DataSegment> data = new ArrayList<>();
    private final List<CustomSection> customs = new ArrayList<>();
    private final List<SectionInfo> sections = new ArrayList<>();
    private NameSection names = NameSection.EMPTY;
    private int importedFunctions;
    /** Offset of the first instruction that uses a data index (memory.init, data.drop), or -1. */
    private int firstDataIndexUse = -1;

    private Decoder(byte[] bytes, boolean lazyBodies) {
        this.bytes = bytes;
        this.r = new WasmReader(bytes);
        this.lazyBodies = lazyBodies;
        this.whole = new WholeBinary(bytes);
        this.holeStart = Integer.MAX_VALUE;
        this.holeLength = 0;
    }

    private Decoder(CodelessImage image, Supplier<byte[]> whole) {
        this.bytes = image.bytes();
        this.r = new WasmReader(bytes);
        this.lazyBodies = true;
        this.whole = new WholeBinary(whole);
        this.holeStart = image.holeStart();
        this.holeLength = image.holeLength();
    }

    /** Decodes a module binary. The array is kept by the returned module and must not be changed. */
    public static Module decode(byte[] bytes) {
        return new Decoder(bytes, false).module();
    }

    /**
     * Decodes a module already known to be well-formed and valid (this compiler build decoded and
     * validated the very same bytes before: a code-cache entry under their hash says so). Every
     * section but the code section is decoded as usual; function bodies are found and decoded on
     * first use, and their instructions are not scanned. Only for bytes whose hash has such evidence.
     */
    public static Module decodeTrusted(byte[] bytes) {
        return new Decoder(bytes, true).module();
    }

    /**
     * {@link #decodeTrusted(byte[])} of a binary of which only {@code image} was read: the bodies are not
     * there, so everything but them is decoded from the image, every offset the module records is a
     * file offset all the same, and {@code whole} gives the whole binary when a body is first asked for
     * (its caller checks that it is still the binary the evidence is for).
     */
    public static Module decodeTrusted(CodelessImage image, Supplier<byte[]> whole) {
        return new Decoder(image, whole).module();
    }

    /** The file offset of a position of the reader (they differ after a {@link CodelessImage}'s hole). */
    private int at(int position) {
        return position >= holeStart ? position + holeLength : position;
    }

    private Module module() {
        ImplementationLimits.check(bytes.length + (long) holeLength, ImplementationLimits.MAX_MODULE_SIZE, "bytes in the module", 0);
        if (r.remaining() < 4) throw new MalformedModuleException("unexpected end", r.remaining());
        if (r.f32Bits() != MAGIC) throw new MalformedModuleException("magic header not detected", 0);
        if (r.remaining() < 4) throw new MalformedModuleException("unexpected end", r.position());
        if (r.f32Bits() != VERSION) throw new MalformedModuleException("unknown binary version", 4);

        int lastOrder = 0;
        while (!r.atEnd()) {
            int header = r.position();
            int id = r.u8();
            SectionId sid = SectionId.fromId(id);
            if (sid == null) throw new MalformedModuleException("malformed section id " + id, header);
            int sizeAt = r.position();
            long size = r.u32();
            // a codeless image holds the code section's function count, not its bodies
            if (sid == SectionId.CODE && holeLength > 0) size -= holeLength;
            if (size < 0 || size > r.remaining()) {
                throw new MalformedModuleException("section size " + size + " exceeds the " + r.remaining()
                        + " bytes left (length out of bounds)", sizeAt);
            }
            int start = r.position();
            int end = start + (int) size;
            if (sid != SectionId.CUSTOM) {
                if (sid.order <= lastOrder) {
                    throw new MalformedModuleException("unexpected content after last section: "
                            + sid.text() + " section out of order or repeated", header);
                }
                lastOrder = sid.order;
            }
            int outer = r.pushLimit(end);
            String customName = section(sid, end);
            if (r.position() != end) throw new MalformedModuleException("section size mismatch", r.position());
            r.popLimit(outer);
            sections.add(new SectionInfo(sid, customName, at(header), at(start), at(end)));
        }

        if (lazy != null) {
            return new Module(whole, holeStart != Integer.MAX_VALUE ? bytes : null, holeLength, types, recGroups, imports, tables, tableInits, memories, tags, globals, exports, startFunction,
                    elements, dataCount, lazy, data, customs, sections, names);
        }
        if (functionTypeIndices.size() != bodies.size()) {
            throw new MalformedModuleException("function and code section have inconsistent lengths ("
                    + functionTypeIndices.size() + " functions, " + bodies.size() + " bodies)", r.position());
        }
        if (dataCount >= 0 && dataCount != data.size()) {
            throw new MalformedModuleException("data count and data section have inconsistent lengths ("
                    + dataCount + " declared, " + data.size() + " segments)", r.position());
        }
        // Without a data count section, data indices in code cannot be checked while decoding.
        // When the module has data segments that is malformed; when it has none, every data
        // index is simply unknown, which validation reports (the spec suite expects both).
        if (firstDataIndexUse >= 0 && dataCount < 0 && !data.isEmpty()) {
            throw new MalformedModuleException("data count section required", firstDataIndexUse);
        }
        return new Module(bytes, types, recGroups, imports, tables, tableInits, memories, tags, globals, exports, startFunction, elements,
                dataCount, bodies, data, customs, sections, names);
    }

    /** Parses one section's contents; returns the custom section's name, else null. */
    private String section(SectionId sid, int end) {
        switch (sid) {
            case CUSTOM -> {
                int start = r.position();
                String name = r.name();
                customs.add(new CustomSection(name, at(r.position()), at(end)));
                if (name.equals("name")) names = NameSection.parse(bytes, r.position(), end);
                r.position(end);
                return name;
            }
            case TYPE -> typeSection();
            case IMPORT -> importSection();
            case FUNCTION -> functionSection();
            case TABLE -> {
                int n = count(1, ImplementationLimits.MAX_TABLES, "tables");
                for (int i = 0; i < n; i++) table();
            }
            case MEMORY -> {
                int n = count(1, ImplementationLimits.MAX_MEMORIES, "memories");
                for (int i = 0; i < n; i++) memories.add(memoryType());
            }
            case TAG -> {
                int n = count(2, ImplementationLimits.MAX_TAGS, "tags");
                for (int i = 0; i < n; i++) tags.add(tagType());
            }
            case GLOBAL -> {
                int n = count(2, ImplementationLimits.MAX_GLOBALS, "globals");
                for (int i = 0; i < n; i++) globals.add(new Global(globalType(), constExpr()));
            }
            case EXPORT -> exportSection();
            case START -> startFunction = r.u32AsInt("start function index");
            case ELEMENT -> elementSection();
            case DATA_COUNT -> dataCount = r.u32AsInt("data count");
            case CODE -> codeSection();
            case DATA -> dataSection();
        }
        return null;
    }

    private int count(int minElementBytes, long limit, String what) {
        int at = r.position();
        int n = r.count(minElementBytes);
        ImplementationLimits.check(n, limit, what, at);
        return n;
    }

    /** The type section: recursive groups ({@code 0x4E}) or single subtypes, each counted once. */
    private void typeSection() {
        int n = count(1, ImplementationLimits.MAX_TYPES, "types");
        for (int i = 0; i < n; i++) {
            int first = types.size();
            if (r.peekU8() == 0x4E) {
                r.u8();
                int at = r.position();
                int members = r.count(1);
                ImplementationLimits.check((long) first + members, ImplementationLimits.MAX_TYPES, "types", at);
                for (int k = 0; k < members; k++) types.add(subType());
            } else {
                ImplementationLimits.check(first + 1L, ImplementationLimits.MAX_TYPES, "types", r.position());
                types.add(subType());
            }
            recGroups.add(new RecGroup(first, types.size() - first));
        }
    }

    private SubType subType() {
        int form = r.peekU8();
        if (form == 0x50 || form == 0x4F) {
            r.u8();
            int[] supers = new int[r.count(1)];
            for (int k = 0; k < supers.length; k++) supers[k] = r.u32AsInt("type index");
            return new SubType(form == 0x4F, supers, compositeType());
        }
        return SubType.of(compositeType());
    }

    private CompositeType compositeType() {
        int at = r.position();
        int form = r.u8();
        return switch (form) {
            case 0x60 -> {
                ValType[] params = valTypes(ImplementationLimits.MAX_PARAMS, "parameters");
                ValType[] results = valTypes(ImplementationLimits.MAX_RESULTS, "results");
                yield new FuncType(params, results);
            }
            case 0x5F -> {
                int n = count(2, ImplementationLimits.MAX_STRUCT_FIELDS, "struct fields");
                List<FieldType> fields = new ArrayList<>(Math.min(n, 64));
                for (int k = 0; k < n; k++) fields.add(fieldType());
                yield new StructType(fields);
            }
            case 0x5E -> new ArrayType(fieldType());
            default -> throw new MalformedModuleException("malformed composite type form 0x" + Integer.toHexString(form), at);
        };
    }

    private FieldType fieldType() {
        int b = r.peekU8();
        ValType t;
        int packed = 0;
        if (b == FieldType.I8_CODE || b == FieldType.I16_CODE) {
            r.u8();
            t = ValType.I32;
            packed = b == FieldType.I8_CODE ? 8 : 16;
        } else {
            t = valType();
        }
        int at = r.position();
        int mut = r.u8();
        if (mut > 1) throw new MalformedModuleException("malformed mutability", at);
        return new FieldType(t, packed, mut == 1);
    }

    private ValType[] valTypes(int limit, String what) {
        int n = count(1, limit, what);
        ValType[] out = new ValType[n];
        for (int i = 0; i < n; i++) out[i] = valType();
        return out;
    }

    private ValType valType() {
        return TypeReader.valType(r);
    }

    private ValType refType() {
        return TypeReader.refType(r);
    }

    /** Limits flags: bit 0 = a maximum follows, bit 2 = 64-bit (u64 values). Shared memories are not WebAssembly 3.0. */
    private int limitsFlags() {
        int at = r.position();
        int flag = r.u8();
        if ((flag & ~0x05) != 0) throw new MalformedModuleException("malformed limits flags 0x" + Integer.toHexString(flag), at);
        return flag;
    }

    /** Limits values are u64 in 3.0 for every address type; validation bounds them by the type. */
    private Limits limits(int flags) {
        long min = r.u64();
        if ((flags & 0x01) == 0) return new Limits(min, 0, false);
        return new Limits(min, r.u64(), true);
    }

    private MemoryType memoryType() {
        int flags = limitsFlags();
        return new MemoryType(limits(flags), (flags & 0x04) != 0);
    }

    private TableType tableType() {
        ValType t = refType();
        int flags = limitsFlags();
        return new TableType(t, limits(flags), (flags & 0x04) != 0);
    }

    /** A table definition: a table type, or {@code 0x40 0x00} tabletype expr (a table with an initialiser). */
    private void table() {
        if (r.peekU8() == 0x40) {
            r.u8();
            int at = r.position();
            if (r.u8() != 0x00) throw new MalformedModuleException("malformed table definition", at);
            tables.add(tableType());
            tableInits.add(constExpr());
        } else {
            tables.add(tableType());
            tableInits.add(null);
        }
    }

    private TagType tagType() {
        int at = r.position();
        if (r.u8() != 0x00) throw new MalformedModuleException("malformed tag attribute", at);
        return new TagType(r.u32AsInt("type index"));
    }

    private GlobalType globalType() {
        ValType t = valType();
        int at = r.position();
        int mut = r.u8();
        if (mut > 1) throw new MalformedModuleException("malformed mutability", at);
        return new GlobalType(t, mut == 1);
    }

    private void importSection() {
        int n = count(4, ImplementationLimits.MAX_IMPORTS, "imports");
        for (int i = 0; i < n; i++) {
            String module = r.name();
            String name = r.name();
            int at = r.position();
            int kind = r.u8();
            switch (kind) {
                case 0x00 -> {
                    imports.add(Import.func(module, name, r.u32AsInt("type index")));
                    importedFunctions++;
                    ImplementationLimits.check(importedFunctions, ImplementationLimits.MAX_FUNCTIONS, "functions", at);
                }
                case 0x01 -> imports.add(Import.table(module, name, tableType()));
                case 0x02 -> imports.add(Import.memory(module, name, memoryType()));
                case 0x03 -> imports.add(Import.global(module, name, globalType()));
                case 0x04 -> imports.add(Import.tag(module, name, tagType()));
                default -> throw new MalformedModuleException("malformed import kind 0x" + Integer.toHexString(kind), at);
            }
        }
    }

    private void functionSection() {
        int at = r.position();
        int n = r.count(1);
        ImplementationLimits.check((long) n + importedFunctions, ImplementationLimits.MAX_FUNCTIONS, "functions", at);
        for (int i = 0; i < n; i++) functionTypeIndices.add(r.u32AsInt("type index"));
    }

    private void exportSection() {
        int n = count(2, ImplementationLimits.MAX_EXPORTS, "exports");
        for (int i = 0; i < n; i++) {
            String name = r.name();
            int at = r.position();
            ExternKind kind = ExternKind.fromCode(r.u8());
            if (kind == null) throw new MalformedModuleException("malformed export kind", at);
            exports.add(new Export(name, kind, r.u32AsInt("export index")));
        }
    }

    private void elementSection() {
        int n = count(1, ImplementationLimits.MAX_ELEMENT_SEGMENTS, "element segments");
        for (int i = 0; i < n; i++) {
            int at = r.position();
            long flags = r.u32();
            if (flags > 7) throw new MalformedModuleException("malformed elements segment kind " + flags, at);
            boolean passiveOrDeclarative = (flags & 1) != 0;
            boolean explicitTable = (flags & 2) != 0;
            boolean expressions = (flags & 4) != 0;
            SegmentMode mode = !passiveOrDeclarative ? SegmentMode.ACTIVE
                    : explicitTable ? SegmentMode.DECLARATIVE : SegmentMode.PASSIVE;
            int table = 0;
            ConstExpr offset = null;
            if (mode == SegmentMode.ACTIVE) {
                if (explicitTable) table = r.u32AsInt("table index");
                offset = constExpr();
            }
            // Function-index forms hold (ref func) (WebAssembly 3.0); expression forms default to funcref.
            ValType type = expressions ? ValType.FUNCREF : ValType.ref(false, HeapType.FUNC);
            if (passiveOrDeclarative || explicitTable) {
                if (expressions) {
                    type = refType();
                } else {
                    int kindAt = r.position();
                    if (r.u8() != 0x00) throw new MalformedModuleException("malformed element kind", kindAt);
                }
            }
            int items = r.count(1);
            List<ConstExpr> init = new ArrayList<>(items);
            for (int k = 0; k < items; k++) {
                if (expressions) {
                    init.add(constExpr());
                } else {
                    int fat = r.position();
                    init.add(ConstExpr.refFunc(r.u32AsInt("function index"), fat));
                }
            }
            elements.add(new ElementSegment(mode, table, offset, type, init, at));
        }
    }

    private void dataSection() {
        int n = count(1, ImplementationLimits.MAX_DATA_SEGMENTS, "data segments");
        for (int i = 0; i < n; i++) {
            int at = r.position();
            long flags = r.u32();
            SegmentMode mode;
            int memory = 0;
            ConstExpr offset = null;
            switch ((int) Math.min(flags, 3)) {
                case 0 -> {
                    mode = SegmentMode.ACTIVE;
                    offset = constExpr();
                }
                case 1 -> mode = SegmentMode.PASSIVE;
                case 2 -> {
                    mode = SegmentMode.ACTIVE;
                    memory = r.u32AsInt("memory index");
                    offset = constExpr();
                }
                default -> throw new MalformedModuleException("malformed data segment kind " + flags, at);
            }
            int len = r.count(1);
            int start = r.position();
            r.skip(len);
            data.add(new DataSegment(mode, memory, offset, at(start), len, at(at)));
        }
    }

    private void codeSection() {
        // a codeless image has the count but not the bodies it counts
        int n = holeStart != Integer.MAX_VALUE ? r.u32AsInt("function count") : r.count(1);
        if (n != functionTypeIndices.size()) {
            throw new MalformedModuleException("function and code section have inconsistent lengths ("
                    + functionTypeIndices.size() + " functions, " + n + " bodies)", r.position());
        }
        if (lazyBodies) {
            int[] typeIndices = new int[n];
            for (int i = 0; i < n; i++) typeIndices[i] = functionTypeIndices.get(i);
            lazy = new LazyFunctionBodies(whole, typeIndices, r.position(), at(r.limit()));
            r.position(r.limit());
            return;
        }
        for (int i = 0; i < n; i++) {
            int bodyStart = r.position();
            int size = r.count(1);
            ImplementationLimits.check(size, ImplementationLimits.MAX_FUNCTION_BODY_SIZE, "bytes in a function body", bodyStart);
            int end = r.position() + size;
            int outer = r.pushLimit(end);
            int typeIndex = functionTypeIndices.get(i);
            int groups = r.count(2);
            List<LocalGroup> locals = new ArrayList<>(Math.min(groups, 64));
            long total = 0;
            int localsAt = r.position();
            for (int g = 0; g < groups; g++) {
                int at = r.position();
                long c = r.u32();
                ValType t = valType();
                total += c;
                if (total > 0xFFFFFFFFL) throw new MalformedModuleException("too many locals", at);
                locals.add(new LocalGroup((int) Math.min(c, Integer.MAX_VALUE), t));
            }
            // The spec's own bound (2^32-1 in all) comes first; then kiln's implementation limit.
            ImplementationLimits.check(total + params(typeIndex), ImplementationLimits.MAX_LOCALS, "locals", localsAt);
            locals.removeIf(g -> g.count() == 0);
            int codeStart = r.position();
            scanBody(end);
            r.popLimit(outer);
            bodies.add(new FunctionBody(typeIndex, locals, (int) total, bodyStart, codeStart, end));
        }
    }

    private int params(int typeIndex) {
        return typeIndex < types.size() && types.get(typeIndex).composite() instanceof FuncType f ? f.paramCount() : 0;
    }

    /**
     * Reads a function's instructions up to and including the {@code end} that closes the body,
     * which must be its last byte. Tracks block nesting so that {@code else} appears only in an
     * {@code if}, and the legacy {@code catch}/{@code catch_all}/{@code delegate} only in a
     * {@code try}, in the order the grammar allows; the nesting stack lives on the heap, so depth
     * costs no Java stack.
     */
    private void scanBody(int end) {
        InstructionReader in = new InstructionReader(r);
        byte[] kinds = new byte[64];
        int depth = 0;
        while (true) {
            if (r.atEnd()) throw new MalformedModuleException("END opcode expected", r.position());
            Opcode op = in.next();
            switch (op) {
                case BLOCK, LOOP, IF, TRY, TRY_TABLE -> {
                    depth++;
                    if (depth == kinds.length) kinds = Arrays.copyOf(kinds, kinds.length * 2);
                    kinds[depth] = op == Opcode.IF ? OPEN_IF : op == Opcode.TRY ? OPEN_TRY : OTHER;
                }
                case ELSE -> {
                    if (depth == 0 || kinds[depth] != OPEN_IF) throw new MalformedModuleException("else without matching if", in.offset());
                    kinds[depth] = OTHER;
                }
                case CATCH, CATCH_ALL -> {
                    if (depth == 0 || (kinds[depth] != OPEN_TRY && kinds[depth] != TRY_CATCHING)) {
                        throw new MalformedModuleException(op + " without matching try", in.offset());
                    }
                    kinds[depth] = op == Opcode.CATCH ? TRY_CATCHING : OTHER;
                }
                case DELEGATE -> {
                    if (depth == 0 || kinds[depth] != OPEN_TRY) throw new MalformedModuleException("delegate without matching try", in.offset());
                    depth--;
                }
                case END -> {
                    if (depth == 0) {
                        if (r.position() != end) throw new MalformedModuleException("section size mismatch: bytes after the function's final end", r.position());
                        return;
                    }
                    depth--;
                }
                case MEMORY_INIT, DATA_DROP, ARRAY_NEW_DATA, ARRAY_INIT_DATA -> {
                    if (firstDataIndexUse < 0) firstDataIndexUse = in.offset();
                }
                default -> { }
            }
        }
    }

    /** Kinds of open construct while scanning a body. */
    private static final byte OTHER = 0;
    private static final byte OPEN_IF = 1;
    private static final byte OPEN_TRY = 2;
    private static final byte TRY_CATCHING = 3;

    /** A constant expression: instructions up to the {@code end} at nesting depth zero. */
    private ConstExpr constExpr() {
        int start = r.position();
        InstructionReader in = new InstructionReader(r);
        List<ConstInstr> instrs = new ArrayList<>(1);
        int depth = 0;
        while (true) {
            Opcode op = in.next();
            if (op == Opcode.END) {
                if (depth == 0) break;
                depth--;
            } else if (op == Opcode.BLOCK || op == Opcode.LOOP || op == Opcode.IF || op == Opcode.TRY || op == Opcode.TRY_TABLE) {
                depth++;
            } else if (op == Opcode.DELEGATE && depth > 0) {
                depth--;
            }
            if (op == Opcode.MEMORY_INIT || op == Opcode.DATA_DROP) {
                if (firstDataIndexUse < 0) firstDataIndexUse = in.offset();
            }
            long imm = switch (op.immediate) {
                case I32 -> in.i32();
                case I64 -> in.i64();
                case F32 -> in.f32Bits() & 0xFFFFFFFFL;
                case F64 -> in.f64Bits();
                case V128 -> in.v128Low();
                case GLOBAL, FUNC, TAG, TYPE, LABEL, LOCAL, TABLE, TYPE_COUNT, TYPE_DATA, TYPE_ELEM, TYPE_FIELD -> in.indexUnsigned();
                case REF_TYPE -> in.heapTypeEncoding();
                default -> 0;
            };
            long imm2 = switch (op.immediate) {
                case V128 -> in.v128High();
                case TYPE_COUNT, TYPE_DATA, TYPE_ELEM, TYPE_FIELD -> in.secondIndex();
                default -> 0;
            };
            instrs.add(new ConstInstr(op, imm, imm2, at(in.offset())));
        }
        return new ConstExpr(instrs, at(start));
    }
}
