package dev.kiln.bench;

import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.WasmModule;

/** kiln in-process, through its embedding API. */
final class KilnEngine implements Engine {
    private FunctionInstance run;

    @Override
    public void load(byte[] wasm) {
        Store store = new Store();
        run = store.instantiate(WasmModule.of(wasm), new Imports()).function("run");
    }

    @Override
    public int run(int arg) {
        return (int) run.call(arg)[0];
    }
}
