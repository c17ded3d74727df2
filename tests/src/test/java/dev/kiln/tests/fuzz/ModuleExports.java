package dev.kiln.tests.fuzz;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.Export;
import dev.kiln.frontend.ExternKind;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.ValType;
import dev.kiln.tests.fuzz.wasm.NumType;

import java.util.ArrayList;
import java.util.List;

/** What a binary module exports, as the differential check needs it: function types, global names, the memory's name. */
record ModuleExports(Module module, List<String> globals, String memory) {
    static ModuleExports of(byte[] wasm) {
        Module m = Decoder.decode(wasm);
        List<String> globals = new ArrayList<>();
        String memory = null;
        for (Export e : m.exports()) {
            if (e.kind() == ExternKind.GLOBAL) globals.add(e.name());
            if (e.kind() == ExternKind.MEMORY) memory = e.name();
        }
        return new ModuleExports(m, globals, memory);
    }

    CallSpec call(String export, long[] args) {
        Export e = module.exports().stream().filter(x -> x.name().equals(export) && x.kind() == ExternKind.FUNC).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no exported function " + export));
        FuncType t = module.functionType(e.index());
        return new CallSpec(export, types(t.params()), types(t.results()), args);
    }

    private static List<NumType> types(ValType[] ts) {
        List<NumType> out = new ArrayList<>();
        for (ValType t : ts) out.add(NumType.of(t));
        return out;
    }
}
