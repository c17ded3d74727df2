package dev.kiln.bench;

import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;

/** kiln in-process, through its embedding API, on one tier (load includes native compilation). */
final class KilnEngine implements Engine {
    private final Tier tier;
    private FunctionInstance run;

    KilnEngine(Tier tier) {
        this.tier = tier;
    }

    @Override
    public void load(byte[] wasm) {
        Store store = new Store().tier(tier);
        run = store.instantiate(WasmModule.of(wasm), new Imports()).function("run");
    }

    @Override
    public int run(int arg) {
        return (int) run.call(arg)[0];
    }
}
