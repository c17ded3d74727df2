package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.RawValues;
import dev.kiln.ir.TrapException;

/**
 * A callable function: a Wasm function of an instance, or a host function. Arguments and results
 * are raw longs (i32 in the low 32 bits, f32/f64 as IEEE bits, references as handles), a v128 as two
 * consecutive longs, low half first ({@link V128#of(long[], int)}, {@link V128#writeTo}; see
 * {@link RawValues}).
 */
public abstract sealed class FunctionInstance implements Extern permits WasmFunction, HostFunctionInstance {
    final Store store;
    final FuncType type;
    /** The store's handle for the function, assigned when a funcref to it is first made. */
    int handle = -1;
    /** Address of its funcref descriptor, once made. */
    long descriptor;

    FunctionInstance(Store store, FuncType type) {
        this.store = store;
        this.type = type;
    }

    /** The canonical key of the function's type (see {@code TypeHierarchy.canonicalKey}). */
    String typeKey() {
        return dev.kiln.frontend.TypeHierarchy.keyOf(type);
    }

    public FuncType type() {
        return type;
    }

    /**
     * Calls the function. Throws {@link WasmTrap} when Wasm code traps, {@link WasmException} when
     * a Wasm exception leaves it uncaught, {@link ProcessExit} when the program exits,
     * {@link StoreInUseException} when another thread is using the store (a store is used by one
     * thread at a time), {@link IllegalStateException} when it is closed.
     */
    public long[] call(long... args) {
        int slots = RawValues.slots(type.params());
        if (args.length != slots) {
            throw new IllegalArgumentException("expected " + slots + " argument slots for " + type + ", got " + args.length);
        }
        checkArguments(args);
        store.enter();
        try {
            return invoke(null, args);
        } catch (TrapException t) {
            if (t.kind == dev.kiln.ir.TrapKind.INTERRUPTED) store.interruptDelivered();
            throw WasmTrap.of(t);
        } catch (dev.kiln.ir.ThrownException e) {
            throw WasmException.of(e);
        } catch (StackOverflowError e) { // the caller's Java stack was nearly full before the guest ran
            throw new WasmTrap(dev.kiln.ir.TrapKind.CALL_STACK_EXHAUSTED, java.util.List.of(), null);
        } finally {
            store.exit();
        }
    }

    /** Rejects arguments Wasm code must never see (a word that is no reference of the parameter's type into the GC heap). */
    void checkArguments(long[] args) {
    }

    /** Calls the function from {@code caller} (null from Java); traps propagate as TrapException. */
    abstract long[] invoke(Instance caller, long[] args);
}
