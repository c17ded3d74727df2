package dev.kiln.ir.code;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.IrFunction;

import java.util.function.IntFunction;

/**
 * A code generator for one {@link Target}. Compiled functions follow kiln's internal calling
 * convention (docs/design-changes.md): the VMContext and memory base pinned in registers, the
 * callee popping its stack arguments, functions returning more than one value storing all results
 * in the execution state's return area. The entry trampoline and the adapters translate to and from
 * the platform C convention at the Java boundary.
 */
public interface Backend {
    Target target();

    /** The CPU level the code may assume (its instruction-set extensions); part of the cache key. */
    CpuFeatures cpu();

    /** Whether this backend compiles SIMD (v128) instructions for its CPU level. */
    boolean compilesSimd();

    /** Whether this backend lowers exception handling (tags, throw, try regions, catch); functions with it are declined otherwise. */
    default boolean lowersExceptions() {
        return false;
    }

    /** How this target's relocation types are applied (handed to the linker). */
    RelocationModel relocationModel();

    /** Compiles one defined function; with {@code listing}, the result carries the emitted instructions as text. */
    MachineCode compile(ValidatedModule module, SymbolNames symbols, int funcIndex, CodeOptions options, boolean listing);

    /**
     * Compiles IR that is already prepared (such as an OSR variant from
     * {@link dev.kiln.ir.pass.Preparation#osrVariant}, whose signature is its {@code type()}) under {@code symbol}.
     */
    MachineCode compile(ValidatedModule module, SymbolNames symbols, IrFunction prepared, String symbol, CodeOptions options);

    /**
     * The entry trampoline for functions of {@code type}: native signature
     * {@code int entry(long vmctx, long function, long argumentBuffer, long stackLimit)}. It reads
     * the arguments from the buffer (8 bytes each), calls {@code function}, writes the results
     * back to the buffer and returns 0, or the trap code when the call trapped.
     */
    MachineCode entryTrampoline(FuncType type, String symbol);

    /**
     * The routine trap stubs call ({@link #TRAP_SYMBOL}, arguments: VMContext, trap code): it
     * records the trap and the native frames in the execution state and unwinds to the innermost
     * entry trampoline, which returns the trap code.
     */
    MachineCode trapRoutine();

    /**
     * Allocates {@code f} (optimised, edges split) as this backend does and names each value's
     * location in the target's terms, e.g. {@code rbx} or {@code [rbp-24]} (for {@code kiln ir
     * --stage allocated --target}).
     */
    IntFunction<String> allocationNames(IrFunction f);

    /**
     * The call stubs of functions {@code first .. first+count-1}, one every {@link #callStubStride()}
     * bytes: stub k puts the function index where {@link #interpreterEntry} expects it and jumps
     * to the address held in the native word at {@code slotsBase + 8 * (first + k)} (the
     * function's native code once bound, the interpreter entry of its type before). Calls to
     * functions that are not bound yet, and funcref descriptors, go through these stubs.
     */
    MachineCode callStubs(int first, int count, long slotsBase);

    /** Bytes between consecutive stubs of {@link #callStubs}. */
    int callStubStride();

    /**
     * The stub a cached object carries for function {@code funcIndex} when it calls the function but
     * has no code for it: position independent, it puts the index where {@link #interpreterEntry}
     * expects it and jumps through the function's word of the module's slot array, whose address the
     * VMContext holds ({@link dev.kiln.ir.abi.VmContextLayout#SLOTS}).
     */
    MachineCode slotStub(int funcIndex);

    /** The byte that fills the gaps of a cached object's text (an instruction that traps, where it can be one byte). */
    byte textFiller();

    /**
     * Passes {@code index} (a host function's handle) to the native-to-Java adapter at
     * {@code adapterAddress} (see {@link #interpreterEntry}): how native code calls a host function.
     */
    MachineCode adapterThunk(String symbol, int index, long adapterAddress);

    /**
     * The native-to-Java adapter for functions of {@code type} (entering the interpreter, or a host
     * function), reached from a call stub or an adapter thunk with the native arguments in place
     * and the function's index or handle in the backend's index register: stores them 8 bytes each in a buffer on its stack,
     * calls {@code int upcall(long vmctx, int index, long buffer)} at {@code upcallAddress},
     * and returns the result from the buffer (several results are already in the return area);
     * when the upcall reports a trap (nonzero), it calls the trap routine, which unwinds.
     */
    MachineCode interpreterEntry(FuncType type, String symbol, long upcallAddress);

    /**
     * About how many bytes of stack a frame of this backend's code takes for a function that keeps
     * {@code liveAcrossCall} values over a call: return address, frame pointer, saved registers and
     * spill slots. The interpreter counts its frames as this much, so that every tier runs out of
     * the same stack budget at about the same depth.
     */
    int frameBytes(int liveAcrossCall);

    /**
     * A function {@code long probe()} that returns its caller's stack pointer (the value the
     * caller's stack pointer has after the call returns). The runtime measures how much stack
     * guest code has left with it (see {@code GuestStack} in runtime-stub).
     */
    MachineCode stackPointerProbe();

    /**
     * The instance-return stub ({@link #INSTANCE_RETURN_SYMBOL}): a tail call into another instance
     * leaves a record of {@link #INSTANCE_RECORD_BYTES} above the callee's stack arguments (the
     * caller's VMContext, a free word, then a frame record: the caller's frame pointer and the
     * return address it was to return to), makes this stub the callee's return address and that
     * frame record the callee's frame pointer; the stub restores the VMContext, memory base and
     * frame pointer from the record and returns through it (docs/design-changes.md, "Tail calls").
     */
    MachineCode instanceReturn();

    /**
     * The tail-call launcher (docs/design-changes.md, "Tail calls across tiers"), or null when this
     * backend has none (tail calls out of interpreted functions called from native code then nest).
     * An adapter whose upcall returned 2 jumps to it with its own frame in place (rbp/x29) and its
     * incoming stack-argument bytes in R11/X16; the launcher takes the callee and its arguments
     * from the launch area (the backend module's {@code TailLaunchArea}), replaces the adapter's
     * frame as a tail call does (with an instance-return record when the callee is in another
     * instance) and jumps to the callee.
     */
    default MachineCode tailLauncher() {
        return null;
    }

    /**
     * Where the launcher takes each parameter of a callee of type {@code t} (byte offsets from the
     * execution state), then its stack-argument bytes; null when it has no launcher or they do not fit.
     */
    default int[] tailLaunchOffsets(FuncType t) {
        return null;
    }

    /**
     * The process's handler of SIGSEGV and SIGBUS for guard pages ({@code void handler(int sig,
     * siginfo_t *info, void *ucontext)}, installed with SA_SIGINFO). When the faulting instruction
     * lies in one of the ranges of the table at {@code codeRanges} ({@code u64 count}, then
     * {@code count} words, each a range of kiln's code in the form of {@link CodeRangeWord}, read with one
     * load; an empty word matches nothing), the fault is an out-of-bounds memory
     * access left to the guard pages: the handler makes the interrupted context call the trap routine
     * at {@code trapRoutine} from the faulting instruction with the out-of-bounds trap code, and
     * returns. Any other fault goes to the handler of the {@code struct sigaction} at
     * {@code previous} (the action this one replaced) unchanged.
     */
    MachineCode signalHandler(long codeRanges, long previous, long trapRoutine);

    /**
     * As {@link #signalHandler(long, long, long)}, also checking mapped cache text lazily when
     * {@link #checksLazyText()}: {@code lazyTexts} is a table ({@code u64 count}, then {@code count}
     * pairs {@code u64 range, digests}, the range a {@link CodeRangeWord} read with one load, then the
     * digests) of text mapped inaccessible. A fault whose address lies
     * in one of them is the first use of a 64 KiB block: the handler makes the block readable, computes
     * its {@code dev.kiln.linker.BlockHash}, compares it with {@code digests[block]}, and when they agree
     * makes the block readable and executable and returns (the faulting instruction runs again); when
     * they differ it makes the block inaccessible again and has the interrupted code call the trap
     * routine with {@link dev.kiln.ir.abi.ExecutionStateLayout#DAMAGED_CODE}.
     */
    default MachineCode signalHandler(long codeRanges, long lazyTexts, long previous, long trapRoutine) {
        return signalHandler(codeRanges, previous, trapRoutine);
    }

    /** True when {@link #signalHandler(long, long, long, long)} checks lazily mapped text. */
    default boolean checksLazyText() {
        return false;
    }

    /** Symbol of the trap routine, as compiled code refers to it. */
    String TRAP_SYMBOL = "kiln_trap";

    /** Bytes of the instance-return record a tail call into another instance leaves (see {@link #instanceReturn}). */
    int INSTANCE_RECORD_BYTES = 32;

    /** Symbol of the instance-return stub, as compiled code refers to it. */
    String INSTANCE_RETURN_SYMBOL = "kiln_instance_return";
}
