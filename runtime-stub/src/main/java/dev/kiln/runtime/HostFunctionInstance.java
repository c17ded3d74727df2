package dev.kiln.runtime;

import dev.kiln.frontend.RawValues;
import dev.kiln.ir.ThrownException;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;

/** A {@link HostFunction} bound to a store. Its failures become traps; {@link ProcessExit} and {@link WasmException}s (as exceptions in the guest) pass through. */
public final class HostFunctionInstance extends FunctionInstance {
    private final HostFunction definition;
    /** Address of the thunk native code calls this function through, once made. */
    long nativeThunk;

    HostFunctionInstance(Store store, HostFunction definition) {
        super(store, definition.type().funcType());
        this.definition = definition;
    }

    /** {@code module.name}, as the module imports it. */
    String qualifiedName() {
        return definition.module() + "." + definition.name();
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
        store.enterHost();
        int scope = store.javaRoots().open(); // the arguments (and what the host makes) stay alive until it returns
        try {
            store.rootReferences(type.params(), args);
            results = definition.implementation().call(caller == null ? new JavaCaller(store) : caller, args);
        } catch (ProcessExit | ThrownException e) {
            throw e;
        } catch (WasmException e) { // thrown into the guest
            throw e.thrown();
        } catch (TrapException e) {
            throw e.kind == TrapKind.HOST_ERROR ? e.inHostFunction(qualifiedName()) : e;
        } catch (WasmTrap t) {
            throw t.toInternal();
        } catch (StackOverflowError e) {
            throw new TrapException(TrapKind.CALL_STACK_EXHAUSTED);
        } catch (InterruptedException e) {
            throw new TrapException(TrapKind.INTERRUPTED); // woken by the store's interrupt(), or the embedder's
        } catch (Throwable e) {
            // a failure while the store asked to stop is the wake-up (ClosedByInterruptException, ...)
            throw store.interruptPending() ? new TrapException(TrapKind.INTERRUPTED)
                    : new TrapException(TrapKind.HOST_ERROR, e).inHostFunction(qualifiedName());
        } finally {
            store.javaRoots().close(scope);
            store.exitHost();
        }
        if (results == null) results = new long[0];
        int slots = RawValues.slots(type.results());
        if (results.length != slots) {
            throw new TrapException(TrapKind.HOST_ERROR, new IllegalStateException("returned " + results.length
                    + " result slots, expected " + slots + " for " + type)).inHostFunction(qualifiedName());
        }
        return results;
    }
}
