package dev.kiln.runtime;

import dev.kiln.frontend.RawValues;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;

/** A {@link HostFunction} bound to a store. Its failures become traps; ProcessExit passes through. */
public final class HostFunctionInstance extends FunctionInstance {
    private final HostFunction definition;
    /** Address of the thunk native code calls this function through, once made. */
    long nativeThunk;

    HostFunctionInstance(Store store, HostFunction definition) {
        super(store, definition.type());
        this.definition = definition;
    }

    public HostFunction definition() {
        return definition;
    }

    @Override
    long[] invoke(Instance caller, long[] args) {
        long[] results;
        try {
            results = definition.implementation().call(caller == null ? () -> null : caller, args);
        } catch (ProcessExit | TrapException e) {
            throw e;
        } catch (WasmTrap t) {
            TrapException inner = new TrapException(t.kind(), t.getCause());
            t.wasmStack().forEach(inner::addFrame);
            throw inner;
        } catch (Throwable e) {
            throw new TrapException(TrapKind.HOST_ERROR, e);
        }
        if (results == null) results = new long[0];
        int slots = RawValues.slots(type.results());
        if (results.length != slots) {
            throw new TrapException(TrapKind.HOST_ERROR, new IllegalStateException("host function " + definition.module()
                    + "." + definition.name() + " returned " + results.length + " result slots, expected " + slots
                    + " for " + type));
        }
        return results;
    }
}
