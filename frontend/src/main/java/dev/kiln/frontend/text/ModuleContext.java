package dev.kiln.frontend.text;

import dev.kiln.frontend.WasmFeature;

import java.util.EnumSet;

/** What every part of a module's parser shares: the tokens, the index spaces, the types, the features used. */
final class ModuleContext {
    final Cursor c;
    final IndexSpace types = new IndexSpace("type");
    final IndexSpace funcs = new IndexSpace("function");
    final IndexSpace tables = new IndexSpace("table");
    final IndexSpace memories = new IndexSpace("memory");
    final IndexSpace globals = new IndexSpace("global");
    final IndexSpace tags = new IndexSpace("tag");
    final IndexSpace elems = new IndexSpace("elem segment");
    final IndexSpace datas = new IndexSpace("data segment");
    final TypeDefs typeDefs = new TypeDefs();
    final EnumSet<WasmFeature> features = EnumSet.of(WasmFeature.BASE);
    /** Set when code uses a data index, so the module needs a data count section. */
    boolean needsDataCount;

    ModuleContext(Cursor c) {
        this.c = c;
    }

    void use(WasmFeature f) {
        features.add(f);
    }
}
