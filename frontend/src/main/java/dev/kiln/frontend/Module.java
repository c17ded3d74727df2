package dev.kiln.frontend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A decoded module: everything later stages need without re-parsing the binary. Index spaces
 * (functions, tables, memories, globals) put imports first, then definitions, as the spec does.
 * Function bodies, data segment bytes and custom sections refer into {@link #bytes()}, by file offset.
 * A module decoded from a {@link CodelessImage} reads the whole binary only when {@link #bytes()} is
 * first called (a body is compiled or interpreted); its data segments are read from the image.
 */
public final class Module {
    private final WholeBinary whole;
    /** The array data segments' bytes are in, and how far before their file offsets (a codeless image's hole). */
    private final byte[] dataArray;
    private final int dataShift;
    private final List<SubType> types;
    private final List<RecGroup> recGroups;
    private final List<Import> imports;
    private final List<TableType> tables;
    private final List<ConstExpr> tableInits;
    private final List<MemoryType> memories;
    private final List<TagType> tags;
    private final List<Global> globals;
    private final List<Export> exports;
    private final int startFunction;
    private final List<ElementSegment> elements;
    private final int dataCount;
    private final List<FunctionBody> functions;
    private final List<DataSegment> data;
    private final List<CustomSection> customSections;
    private final List<SectionInfo> sections;
    private final NameSection names;
    private volatile BranchHints branchHints;

    private final int[] importedFunctionTypes;
    /** Type index of each defined function (known without decoding its body). */
    private final int[] definedFunctionTypes;
    private final List<TableType> importedTables;
    private final List<MemoryType> importedMemories;
    private final List<GlobalType> importedGlobals;
    private final List<TagType> importedTags;

    Module(byte[] bytes, List<SubType> types, List<RecGroup> recGroups, List<Import> imports, List<TableType> tables,
           List<ConstExpr> tableInits, List<MemoryType> memories, List<TagType> tags, List<Global> globals, List<Export> exports, int startFunction,
           List<ElementSegment> elements, int dataCount, List<FunctionBody> functions, List<DataSegment> data,
           List<CustomSection> customSections, List<SectionInfo> sections, NameSection names) {
        this(new WholeBinary(bytes), null, 0, types, recGroups, imports, tables, tableInits, memories, tags, globals, exports, startFunction,
                elements, dataCount, functions, data, customSections, sections, names);
    }

    /** {@code image}: a {@link CodelessImage}'s bytes the module was decoded from (data segments are read there), or null. */
    Module(WholeBinary whole, byte[] image, int holeLength, List<SubType> types, List<RecGroup> recGroups, List<Import> imports,
           List<TableType> tables, List<ConstExpr> tableInits, List<MemoryType> memories, List<TagType> tags, List<Global> globals,
           List<Export> exports, int startFunction, List<ElementSegment> elements, int dataCount, List<FunctionBody> functions,
           List<DataSegment> data, List<CustomSection> customSections, List<SectionInfo> sections, NameSection names) {
        this.whole = whole;
        this.dataArray = image == null ? whole.get() : image;
        this.dataShift = image == null ? 0 : holeLength;
        this.types = List.copyOf(types);
        this.recGroups = List.copyOf(recGroups);
        this.imports = List.copyOf(imports);
        this.tables = List.copyOf(tables);
        this.tableInits = Collections.unmodifiableList(new ArrayList<>(tableInits));
        this.memories = List.copyOf(memories);
        this.tags = List.copyOf(tags);
        this.globals = List.copyOf(globals);
        this.exports = List.copyOf(exports);
        this.startFunction = startFunction;
        this.elements = List.copyOf(elements);
        this.dataCount = dataCount;
        this.functions = functions instanceof LazyFunctionBodies lazy ? lazy : List.copyOf(functions);
        this.definedFunctionTypes = functions instanceof LazyFunctionBodies lazy ? lazy.typeIndices()
                : functions.stream().mapToInt(FunctionBody::typeIndex).toArray();
        this.data = List.copyOf(data);
        this.customSections = List.copyOf(customSections);
        this.sections = List.copyOf(sections);
        this.names = names;
        this.importedFunctionTypes = imports.stream().filter(i -> i.kind() == ExternKind.FUNC)
                .mapToInt(Import::typeIndex).toArray();
        this.importedTables = imports.stream().filter(i -> i.kind() == ExternKind.TABLE).map(Import::table).toList();
        this.importedMemories = imports.stream().filter(i -> i.kind() == ExternKind.MEMORY).map(Import::memory).toList();
        this.importedGlobals = imports.stream().filter(i -> i.kind() == ExternKind.GLOBAL).map(Import::global).toList();
        this.importedTags = imports.stream().filter(i -> i.kind() == ExternKind.TAG).map(i -> new TagType(i.typeIndex())).toList();
    }

    /** The whole module binary (read now if the module was decoded from a codeless image). Not copied: callers must not modify it. */
    public byte[] bytes() {
        return whole.get();
    }

    /** Whether the whole binary is in memory: false for a module decoded from a codeless image until a body is read. */
    public boolean wholeBinaryRead() {
        return whole.isRead();
    }

    /** The array a data segment's bytes are in (at {@link #dataStart}): never makes the whole binary be read. */
    public byte[] dataArray() {
        return dataArray;
    }

    /** Where {@code segment}'s bytes start in {@link #dataArray()}. */
    public int dataStart(DataSegment segment) {
        return segment.dataStart() - dataShift;
    }

    /** The type section's entries, by type index (groups flattened; see {@link #recGroups()}). */
    public List<SubType> types() {
        return types;
    }

    /** The type section's recursive groups, in order; together they cover every type index once. */
    public List<RecGroup> recGroups() {
        return recGroups;
    }

    /**
     * The function type at a type index. Valid modules use only function types where a function
     * type is expected (function declarations, call_indirect, block types, tags).
     */
    public FuncType funcType(int typeIndex) {
        if (types.get(typeIndex).composite() instanceof FuncType f) return f;
        throw new IllegalArgumentException("type " + typeIndex + " is not a function type: " + types.get(typeIndex));
    }

    /** True when the type index is in range and names a function type. */
    public boolean isFuncType(long typeIndex) {
        return typeIndex >= 0 && typeIndex < types.size() && types.get((int) typeIndex).composite() instanceof FuncType;
    }

    public List<Import> imports() {
        return imports;
    }

    /** Tables defined by the module (imports excluded). */
    public List<TableType> definedTables() {
        return tables;
    }

    /**
     * The initialiser of a defined table (by position among the defined tables), or null when the
     * table is filled with null.
     */
    public ConstExpr tableInit(int definedIndex) {
        return tableInits.get(definedIndex);
    }

    /** Tags defined by the module (imports excluded). */
    public List<TagType> definedTags() {
        return tags;
    }

    public int importedTagCount() {
        return importedTags.size();
    }

    public int tagCount() {
        return importedTags.size() + tags.size();
    }

    public TagType tagType(int tagIndex) {
        int imported = importedTags.size();
        return tagIndex < imported ? importedTags.get(tagIndex) : tags.get(tagIndex - imported);
    }

    /** The function type of a tag (its parameters are the exception's payload). */
    public FuncType tagFuncType(int tagIndex) {
        return funcType(tagType(tagIndex).typeIndex());
    }

    /** Memories defined by the module (imports excluded). */
    public List<MemoryType> definedMemories() {
        return memories;
    }

    /** Globals defined by the module (imports excluded). */
    public List<Global> definedGlobals() {
        return globals;
    }

    public List<Export> exports() {
        return exports;
    }

    /** The start function's index, or -1. */
    public int startFunction() {
        return startFunction;
    }

    public List<ElementSegment> elements() {
        return elements;
    }

    /** The data count section's value, or -1 when the section is absent. */
    public int dataCount() {
        return dataCount;
    }

    /** Bodies of the defined functions, in order; function index = imported function count + position. */
    /** Number of data segments as validation sees it: the data count section's value, else the segments. */
    public int dataSegmentCount() {
        return dataCount >= 0 ? dataCount : data.size();
    }

    public List<FunctionBody> functionBodies() {
        return functions;
    }

    public List<DataSegment> data() {
        return data;
    }

    public List<CustomSection> customSections() {
        return customSections;
    }

    /** Every section in binary order, with its position. */
    public List<SectionInfo> sections() {
        return sections;
    }

    public NameSection names() {
        return names;
    }

    /**
     * The hints of the {@code metadata.code.branch_hint} section ({@link BranchHints#NONE} when there
     * is none; the first such section counts), read at the first call.
     */
    public BranchHints branchHints() {
        BranchHints h = branchHints;
        if (h == null) {
            h = BranchHints.NONE;
            for (CustomSection c : customSections) {
                if (c.name().equals(BranchHints.SECTION_NAME)) {
                    h = BranchHints.parse(bytes(), c.contentStart(), c.contentEnd());
                    break;
                }
            }
            branchHints = h;
        }
        return h;
    }

    public int importedFunctionCount() {
        return importedFunctionTypes.length;
    }

    public int importedTableCount() {
        return importedTables.size();
    }

    public int importedMemoryCount() {
        return importedMemories.size();
    }

    public int importedGlobalCount() {
        return importedGlobals.size();
    }

    public int functionCount() {
        return importedFunctionTypes.length + functions.size();
    }

    public int tableCount() {
        return importedTables.size() + tables.size();
    }

    public int memoryCount() {
        return importedMemories.size() + memories.size();
    }

    public int globalCount() {
        return importedGlobals.size() + globals.size();
    }

    /** Type index of any function (imported or defined). */
    public int functionTypeIndex(int funcIndex) {
        int imported = importedFunctionTypes.length;
        return funcIndex < imported ? importedFunctionTypes[funcIndex] : definedFunctionTypes[funcIndex - imported];
    }

    public FuncType functionType(int funcIndex) {
        return funcType(functionTypeIndex(funcIndex));
    }

    public TableType tableType(int tableIndex) {
        int imported = importedTables.size();
        return tableIndex < imported ? importedTables.get(tableIndex) : tables.get(tableIndex - imported);
    }

    public MemoryType memoryType(int memoryIndex) {
        int imported = importedMemories.size();
        return memoryIndex < imported ? importedMemories.get(memoryIndex) : memories.get(memoryIndex - imported);
    }

    public GlobalType globalType(int globalIndex) {
        int imported = importedGlobals.size();
        return globalIndex < imported ? importedGlobals.get(globalIndex) : globals.get(globalIndex - imported).type();
    }

    /** The body of a defined function, by function index. */
    public FunctionBody body(int funcIndex) {
        return functions.get(funcIndex - importedFunctionTypes.length);
    }

    public boolean isImportedFunction(int funcIndex) {
        return funcIndex < importedFunctionTypes.length;
    }

    /** A printable name for a function: its name-section name, an export name, or {@code func[N]}. */
    public String functionDisplayName(int funcIndex) {
        String n = names.functionName(funcIndex);
        if (n != null) return n;
        for (Export e : exports) {
            if (e.kind() == ExternKind.FUNC && e.index() == funcIndex) return e.name();
        }
        if (funcIndex < importedFunctionTypes.length) {
            int k = 0;
            for (Import i : imports) {
                if (i.kind() == ExternKind.FUNC && k++ == funcIndex) return i.module() + "." + i.name();
            }
        }
        return "func[" + funcIndex + "]";
    }

    /** Local types of a defined function: parameters first, then declared locals, expanded. */
    public ValType[] localTypes(int funcIndex) {
        FunctionBody b = body(funcIndex);
        FuncType t = funcType(b.typeIndex());
        ValType[] out = new ValType[t.paramCount() + b.localCount()];
        int k = 0;
        for (ValType p : t.params()) out[k++] = p;
        for (LocalGroup g : b.locals()) {
            for (int i = 0; i < g.count(); i++) out[k++] = g.type();
        }
        return out;
    }
}
