package dev.kiln.bench;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;

/** Chicory (com.dylibso.chicory): its interpreter, or its bytecode compiler. */
final class ChicoryEngine implements Engine {
    private final boolean compiled;
    private ExportFunction run;

    ChicoryEngine(boolean compiled) {
        this.compiled = compiled;
    }

    @Override
    public void load(byte[] wasm) {
        WasmModule module = Parser.parse(wasm);
        Instance.Builder b = Instance.builder(module);
        if (compiled) b.withMachineFactory(MachineFactoryCompiler.compile(module));
        run = b.build().export("run");
    }

    @Override
    public int run(int arg) {
        return (int) run.apply(arg)[0];
    }
}
