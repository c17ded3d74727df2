package dev.kiln.runtime;

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

    @Override
    String displayName() {
        return "function '" + instance.validated().module().functionDisplayName(index) + "'";
    }

    @Override
    long[] invoke(Instance caller, long[] args) {
        return instance.invokeDefined(index, args);
    }
}
