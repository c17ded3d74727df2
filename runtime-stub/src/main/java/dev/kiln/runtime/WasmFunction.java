package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.RawValues;
import dev.kiln.frontend.ValType;

/** A function defined by a module, in one instance. */
public final class WasmFunction extends FunctionInstance {
    final Instance instance;
    final int index;

    WasmFunction(Instance instance, int index) {
        super(instance.store(), instance.module().validated().module().functionType(index));
        this.instance = instance;
        this.index = index;
    }

    @Override
    String typeKey() {
        var vm = instance.module().validated();
        return vm.types().canonicalKey(vm.module().functionTypeIndex(index));
    }

    public Instance instance() {
        return instance;
    }

    public int index() {
        return index;
    }

    /**
     * A reference argument of the any hierarchy from Java must be null (where the type allows),
     * an i31, a host object, or an object of this store's GC heap of the parameter's type:
     * Wasm code loads fields at its address, so any other word is refused here.
     */
    @Override
    void checkArguments(long[] args) {
        FuncType t = type;
        int slot = 0;
        for (int k = 0; k < t.paramCount(); k++) {
            ValType p = t.param(k);
            long v = args[slot];
            slot += RawValues.slots(p);
            if (!p.isReference()) continue;
            String why = store.badGcReference(instance.gcTypes, p, v);
            if (why != null) throw new IllegalArgumentException("argument " + k + " (" + p + "): " + why);
        }
    }

    @Override
    String displayName() {
        return "function '" + instance.validated().module().functionDisplayName(index) + "'";
    }

    @Override
    long[] invoke(Instance caller, long[] args) {
        return instance.invokeDefined(index, args);
    }
}
