package dev.kiln.runtime;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;

/** A {@link HostFunction} bound to a store. Its failures become traps; ProcessExit passes through. */
public final class HostFunctionInstance extends FunctionInstance {
    private final HostFunction definition;
    /** Address of the thunk native code calls this function through, once made. */
    long nativeThunk;

    HostFunctionInstance(Store store, HostFunction definition) {
        super(store, definition.type().funcType());
        this.definition = definition;
    }

    public HostFunction definition() {
        return definition;
    }

    @Override
    String displayName() {
        return "host function " + definition.module() + "." + definition.name();
    }

    @Override
    long[] invoke(Instance caller, long[] args) {
        long[] results;
        try {
            results = definition.implementation().call(caller == null ? new JavaCaller(store) : caller, args);
        } catch (ProcessExit | TrapException e) {
            throw e;
        } catch (WasmTrap t) {
            throw t.toInternal();
        } catch (Throwable e) {
            throw new TrapException(TrapKind.HOST_ERROR, e);
        }
        if (results == null) results = new long[0];
        if (results.length != type.resultCount()) {
            throw new TrapException(TrapKind.HOST_ERROR, new IllegalStateException("host function " + definition.module()
                    + "." + definition.name() + " returned " + results.length + " results, expected " + type.resultCount()));
        }
        return results;
    }
}
