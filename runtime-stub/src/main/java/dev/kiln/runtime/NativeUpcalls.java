package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.RawValues;
import dev.kiln.interpreter.Interpreter;
import dev.kiln.interpreter.PendingTailCall;
import dev.kiln.ir.ThrownException;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.ir.abi.VmContextLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The places where native code calls Java: host functions and runtime helpers, as FFM upcall
 * stubs. An exception escaping an upcall would end the JVM, so none does: a failure is recorded
 * in the execution state (a trap code, or proc_exit) and the stub returns; native code checks the
 * trap code after the call and unwinds.
 */
final class NativeUpcalls {
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final FunctionDescriptor HELPER = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final RuntimeHelper[] HELPER_IDS = RuntimeHelper.values();
    /** The one entry point of every runtime helper (the helper's id is the last argument). */
    private static final long HELPERS;
    /** {@code int callHost(long vmctx, int handle, long buffer)}: native code calling a host function. */
    private static final long CALL_HOST_BUFFERED;
    /** {@code int interpret(long vmctx, int funcIndex, long buffer)}: native code calling a function that is not bound. */
    private static final long INTERPRET;

    static {
        try {
            var lookup = MethodHandles.lookup();
            MethodType helperType = MethodType.methodType(long.class, long.class, long.class, long.class, long.class, long.class, long.class);
            HELPERS = Linker.nativeLinker().upcallStub(lookup.findStatic(NativeUpcalls.class, "helper", helperType), HELPER,
                    Arena.global()).address();
            CALL_HOST_BUFFERED = Linker.nativeLinker().upcallStub(
                    lookup.findStatic(NativeUpcalls.class, "callHostBuffered", MethodType.methodType(int.class, long.class, int.class, long.class)),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                    Arena.global()).address();
            INTERPRET = Linker.nativeLinker().upcallStub(
                    lookup.findStatic(NativeUpcalls.class, "interpret", MethodType.methodType(int.class, long.class, int.class, long.class)),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                    Arena.global()).address();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private NativeUpcalls() {
    }

    static long helperAddress(RuntimeHelper h) {
        return HELPERS;
    }

    static long callHostAddress() {
        return CALL_HOST_BUFFERED;
    }

    static long interpretAddress() {
        return INTERPRET;
    }

    /**
     * Native code called a function that is not bound (through its interpreter thunk): run it
     * wherever it runs now (the interpreter, or native code bound meanwhile). Arguments and the
     * single result travel in {@code buffer}, several results in the return area. Returns 0, or
     * nonzero after recording a trap (or proc_exit) in the execution state.
     */
    private static int interpret(long vmctx, int funcIndex, long buffer) {
        try {
            long state = stateOf(vmctx);
            Instance instance = Instance.byContext(vmctx);
            FuncType t = instance.module().validated().module().functionType(funcIndex);
            long[] results = instance.invokeDefinedOrTail(funcIndex, NativeValues.read(buffer, t.params()));
            if (results == null) {
                PendingTailCall tail = Interpreter.takePendingTail();
                if (TailCalls.launch(state, tail)) return TAIL_CALL;
                results = RawValues.zeroExtend32(t.results(), Interpreter.callInTail(tail));
            }
            resultsTo(state, buffer, t, results);
            return 0;
        } catch (Throwable e) {
            return failed(vmctx, e);
        }
    }

    /** What {@link #interpret} returns when the function ended in a tail call the adapter makes (the launch area is written). */
    private static final int TAIL_CALL = 2;

    static long stateOf(long vmctx) {
        return NATIVE.get(ValueLayout.JAVA_LONG, vmctx + VmContextLayout.STATE);
    }

    /**
     * Native code called host function {@code handle} through its thunk and the per-signature
     * adapter: arguments and the single result travel in {@code buffer} (16 bytes each, {@link NativeValues}), several
     * results in the return area. Returns 0, or nonzero after recording a trap or proc_exit.
     */
    private static int callHostBuffered(long vmctx, int handle, long buffer) {
        try {
            long state = stateOf(vmctx);
            Instance caller = Instance.byContext(vmctx);
            HostFunctionInstance f = Store.hostFunctionCalled(vmctx, handle);
            resultsTo(state, buffer, f.funcType(), f.invoke(caller, NativeValues.read(buffer, f.funcType().params())));
            return 0;
        } catch (Throwable e) {
            return failed(vmctx, e);
        }
    }

    /** The results of a buffered upcall: a single one back into the buffer, several into the return area. */
    private static void resultsTo(long state, long buffer, FuncType t, long[] r) {
        if (t.resultCount() > 1) NativeValues.write(state + ExecutionStateLayout.returnSlot(0), t.results(), r);
        else if (t.resultCount() == 1) NativeValues.write(buffer, t.results(), r);
    }

    /**
     * Records how a buffered upcall ended abnormally (proc_exit, a trap, any other exception);
     * returns 1. It may run with little stack left (after a {@link StackOverflowError}), so it takes
     * no first-time linkage (no pattern switch, lambda or string concatenation: the JVM links those
     * on first use, deep in its own code) and falls back to storing just the trap code.
     */
    private static int failed(long vmctx, Throwable e) {
        try {
            long state = stateOf(vmctx);
            if (e instanceof ProcessExit exit) ExecutionState.exit(state, exit.code());
            else if (e instanceof TrapException t) ExecutionState.raise(state, t);
            else if (e instanceof ThrownException t) ExecutionState.raise(state, t);
            else if (e instanceof StackOverflowError) ExecutionState.raise(state, new TrapException(TrapKind.CALL_STACK_EXHAUSTED));
            else ExecutionState.raise(state, new TrapException(TrapKind.HOST_ERROR, e));
        } catch (Throwable again) {
            ExecutionState.raiseCode(NATIVE.get(ValueLayout.JAVA_LONG, vmctx + VmContextLayout.STATE), TrapKind.CALL_STACK_EXHAUSTED);
        }
        return 1;
    }

    static {
        // link and load everything the failure path uses now, not first deep down the stack
        long state = Arena.global().allocate(ExecutionStateLayout.SIZE, 16).address();
        MemorySegment vmctx = Arena.global().allocate(VmContextLayout.SIZE, 16);
        vmctx.set(ValueLayout.JAVA_LONG, VmContextLayout.STATE, state);
        failed(vmctx.address(), new StackOverflowError());
        failed(vmctx.address(), new IllegalStateException());
        failed(vmctx.address(), new ProcessExit(0));
        ExecutionState.raiseCode(state, TrapKind.CALL_STACK_EXHAUSTED);
        ExecutionState.takePendingTrap();
        ExecutionState.takePendingExit();
    }

    private static long helper(long vmctx, long a, long b, long c, long d, long id) {
        RuntimeHelper h = HELPER_IDS[(int) id];
        try {
            Instance i = Instance.byContext(vmctx);
            return switch (h) {
                case MEMORY_GROW -> i.memories[(int) a].growNow(i.memoryOperand((int) a, b));
                case MEMORY_FILL -> {
                    i.memoryFill((int) a, b, (int) c, d);
                    yield 0;
                }
                case MEMORY_COPY -> {
                    i.memoryCopy((int) (a >>> 32), (int) a, b, c, d);
                    yield 0;
                }
                case MEMORY_INIT -> {
                    i.memoryInit((int) (a >>> 32), (int) a, i.memoryOperand((int) a, b), c & 0xFFFF_FFFFL, d & 0xFFFF_FFFFL);
                    yield 0;
                }
                case DATA_DROP -> {
                    i.dataDropped[(int) a] = true;
                    yield 0;
                }
                case TABLE_GROW -> i.tables[(int) a].growNow(i.tableOperand((int) a, c), b);
                case TABLE_FILL -> {
                    i.tables[(int) a].fill(i.tableOperand((int) a, b), c, i.tableOperand((int) a, d));
                    yield 0;
                }
                case TABLE_COPY -> {
                    int dst = (int) (a >>> 32), src = (int) a;
                    long n = i.tableOperand(dst, i.tableOperand(src, d)); // an i64 only when both tables are 64-bit
                    TableInstance.copy(i.tables[dst], i.tableOperand(dst, b), i.tables[src], i.tableOperand(src, c), n);
                    yield 0;
                }
                case TABLE_INIT -> {
                    i.tables[(int) a].init(i.tableOperand((int) a, b), i.elementItems[(int) (a >>> 32)], c & 0xFFFF_FFFFL, d & 0xFFFF_FFFFL);
                    yield 0;
                }
                case ELEM_DROP -> {
                    i.elementItems[(int) a] = new long[0];
                    yield 0;
                }
                case THROW, THROW_REF, CATCH, FIND_HANDLER -> NativeExceptions.helper(h, vmctx, i, a, b);
                case GC -> NativeGcHelper.run(i, stateOf(vmctx), a, b, c, d);
                case FUNC_SUBTYPE -> i.interpreterContext().hasType(a, (int) b) ? 1 : 0;
            };
        } catch (TrapException t) {
            if (h.mayTrap) ExecutionState.raise(stateOf(vmctx), t);
        } catch (Throwable t) {
            // native code checks the trap code only after helpers that may trap; the others fail softly
            if (h.mayTrap) ExecutionState.raise(stateOf(vmctx), new TrapException(TrapKind.HOST_ERROR, t));
        }
        return h == RuntimeHelper.MEMORY_GROW || h == RuntimeHelper.TABLE_GROW ? -1 : 0;
    }
}
