package dev.kiln.cli;

import dev.kiln.frontend.DataSegment;
import dev.kiln.frontend.ElementSegment;
import dev.kiln.frontend.Export;
import dev.kiln.frontend.FunctionBody;
import dev.kiln.frontend.Import;
import dev.kiln.frontend.MemoryType;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.SectionInfo;
import dev.kiln.frontend.TableType;
import dev.kiln.frontend.ValidatedModule;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code kiln inspect} shows about a module, as plain records: serialised as-is by jackson for
 * {@code --json}, and printed as text otherwise.
 */
record ModuleSummary(String file, long size, String name, List<Section> sections, List<String> types,
                     List<ImportInfo> imports, List<ExportInfo> exports, List<Function> functions,
                     List<String> tables, List<String> memories, List<String> globals, int elementSegments,
                     int dataSegments, Integer startFunction) {

    record Section(String id, String name, long offset, long size) {
    }

    record ImportInfo(String module, String name, String kind, String type) {
    }

    record ExportInfo(String name, String kind, int index) {
    }

    record Function(int index, String name, int typeIndex, String type, boolean imported, Integer bodySize,
                    Integer locals, Integer bodyOffset, Integer maxStackHeight) {
    }

    static ModuleSummary of(String file, ValidatedModule vm) {
        Module m = vm.module();
        List<Section> sections = new ArrayList<>();
        for (SectionInfo s : m.sections()) {
            sections.add(new Section(s.id().text(), s.customName(), s.headerOffset(), s.size()));
        }
        List<String> types = m.types().stream().map(Object::toString).toList();
        List<ImportInfo> imports = new ArrayList<>();
        for (Import i : m.imports()) {
            String type = switch (i.kind()) {
                case FUNC -> m.types().get(i.typeIndex()).toString();
                case TABLE -> i.table().toString();
                case MEMORY -> i.memory().toString();
                case GLOBAL -> i.global().toString();
                case TAG -> "tag " + m.types().get(i.typeIndex());
            };
            imports.add(new ImportInfo(i.module(), i.name(), i.kind().text, type));
        }
        List<ExportInfo> exports = new ArrayList<>();
        for (Export e : m.exports()) exports.add(new ExportInfo(e.name(), e.kind().text, e.index()));
        List<Function> functions = new ArrayList<>();
        for (int f = 0; f < m.functionCount(); f++) {
            int ti = m.functionTypeIndex(f);
            if (m.isImportedFunction(f)) {
                functions.add(new Function(f, m.functionDisplayName(f), ti, m.types().get(ti).toString(), true,
                        null, null, null, null));
            } else {
                FunctionBody b = m.body(f);
                functions.add(new Function(f, m.functionDisplayName(f), ti, m.types().get(ti).toString(), false,
                        b.codeEnd() - b.bodyStart(), b.localCount(), b.bodyStart(),
                        vm.functionInfo(f).maxStackHeight()));
            }
        }
        List<String> tables = new ArrayList<>();
        for (int t = 0; t < m.tableCount(); t++) {
            TableType tt = m.tableType(t);
            tables.add((t < m.importedTableCount() ? "imported " : "") + tt);
        }
        List<String> memories = new ArrayList<>();
        for (int i = 0; i < m.memoryCount(); i++) {
            MemoryType mt = m.memoryType(i);
            memories.add((i < m.importedMemoryCount() ? "imported " : "") + "pages " + mt);
        }
        List<String> globals = new ArrayList<>();
        for (int g = 0; g < m.globalCount(); g++) {
            globals.add((g < m.importedGlobalCount() ? "imported " : "") + m.globalType(g));
        }
        List<ElementSegment> elems = m.elements();
        List<DataSegment> data = m.data();
        return new ModuleSummary(file, m.bytes().length, m.names().moduleName(), sections, types, imports, exports,
                functions, tables, memories, globals, elems.size(), data.size(),
                m.startFunction() >= 0 ? m.startFunction() : null);
    }

    /** Human-readable form. */
    String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(file).append(": ").append(size).append(" bytes");
        if (name != null) sb.append(", module $").append(name);
        sb.append('\n');
        sb.append("sections (").append(sections.size()).append("):\n");
        for (Section s : sections) {
            sb.append(String.format("  %-9s %-20s offset 0x%08x  size %d%n", s.id, s.name == null ? "" : "\"" + s.name + "\"",
                    s.offset, s.size));
        }
        list(sb, "types", types);
        sb.append("imports (").append(imports.size()).append("):\n");
        for (ImportInfo i : imports) sb.append(String.format("  %-6s %s.%s %s%n", i.kind, i.module, i.name, i.type));
        sb.append("exports (").append(exports.size()).append("):\n");
        for (ExportInfo e : exports) sb.append(String.format("  %-6s \"%s\" -> %d%n", e.kind, e.name, e.index));
        sb.append("functions (").append(functions.size()).append("):\n");
        for (Function f : functions) {
            if (f.imported) {
                sb.append(String.format("  [%d] %s  imported  type %d %s%n", f.index, f.name, f.typeIndex, f.type));
            } else {
                sb.append(String.format("  [%d] %s  type %d %s  body %d bytes at 0x%x, %d locals, max stack %d%n",
                        f.index, f.name, f.typeIndex, f.type, f.bodySize, f.bodyOffset, f.locals, f.maxStackHeight));
            }
        }
        list(sb, "tables", tables);
        list(sb, "memories", memories);
        list(sb, "globals", globals);
        sb.append("element segments: ").append(elementSegments).append('\n');
        sb.append("data segments: ").append(dataSegments).append('\n');
        if (startFunction != null) sb.append("start function: ").append(startFunction).append('\n');
        return sb.toString();
    }

    private static void list(StringBuilder sb, String title, List<String> items) {
        sb.append(title).append(" (").append(items.size()).append("):\n");
        for (int i = 0; i < items.size(); i++) sb.append("  ").append(i).append(": ").append(items.get(i)).append('\n');
    }

}
