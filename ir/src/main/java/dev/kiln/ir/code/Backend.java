package dev.kiln.ir.code;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValidatedModule;

/**
 * A code generator for one {@link Target}. Compiled functions follow the platform C calling
 * convention with the VMContext as a hidden first argument; functions returning more than one
 * value store all results in the execution state's return area instead.
 */
public interface Backend {
    Target target();

    /** How this target's relocation types are applied (handed to the linker). */
    RelocationModel relocationModel();

    /** Compiles one defined function; with {@code listing}, the result carries the emitted instructions as text. */
    MachineCode compile(ValidatedModule module, SymbolNames symbols, int funcIndex, boolean listing);

    /**
     * Compiles IR that is already optimised and edge-split (such as an OSR variant, whose
     * signature is its {@code type()}) under {@code symbol}.
     */
    MachineCode compile(ValidatedModule module, SymbolNames symbols, dev.kiln.ir.IrFunction prepared, String symbol);

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
    java.util.function.IntFunction<String> allocationNames(dev.kiln.ir.IrFunction f);

    /**
     * A function's call stub: jumps to the code address held in the native word at
     * {@code slotAddress} (the function's native code once bound, its interpreter thunk before).
     * Calls to functions that are not bound yet resolve to this stub.
     */
    MachineCode slotJump(String symbol, long slotAddress);

    /**
     * Enters the interpreter for function {@code funcIndex}: passes the index to the interpreter
     * entry of the function's type at {@code entryAddress} (see {@link #interpreterEntry}).
     */
    MachineCode interpreterThunk(String symbol, int funcIndex, long entryAddress);

    /**
     * The native-to-interpreter adapter for functions of {@code type}, reached from an interpreter
     * thunk with the native arguments in place: stores them 8 bytes each in a buffer on its stack,
     * calls {@code int upcall(long vmctx, int funcIndex, long buffer)} at {@code upcallAddress},
     * and returns the result from the buffer (several results are already in the return area);
     * when the upcall reports a trap (nonzero), it calls the trap routine, which unwinds.
     */
    MachineCode interpreterEntry(FuncType type, String symbol, long upcallAddress);

    /** Symbol of the trap routine, as compiled code refers to it. */
    String TRAP_SYMBOL = "kiln_trap";
}
