package dev.kiln.interpreter;

import dev.kiln.frontend.ValidatedModule;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A minimal instance for interpreter tests: one page of memory, no tables, imports answered by {@link #host}; compiles on demand. */
class TestContext implements InstanceContext {
    private final ValidatedModule vm;
    private final CompiledFunction[] functions;
    private final MemorySegment memory = Arena.ofAuto().allocate(65536, 16);
    final List<CompiledFunction> hot = new ArrayList<>();
    /** The tier-up thresholds the interpreter reads from this context (defaults: never hot). */
    int loopWeight = 1;
    long hotThreshold = Long.MAX_VALUE;
    /** What {@link #poll} returns (default: never again), and how often it was called. */
    int pollInterval = Integer.MAX_VALUE;
    int polls;
    /** What a call of any imported function does with its arguments (default: fails). */
    UnaryOperator<long[]> host = args -> {
        throw new UnsupportedOperationException();
    };

    TestContext(ValidatedModule vm) {
        this.vm = vm;
        this.functions = new CompiledFunction[vm.module().functionCount()];
        for (int i = vm.module().importedFunctionCount(); i < functions.length; i++) {
            functions[i] = FunctionCompiler.compile(vm, i);
        }
    }

    long[] call(String export, long... args) {
        int idx = vm.module().exports().stream().filter(e -> e.name().equals(export)).findFirst().orElseThrow().index();
        return Interpreter.invoke(this, idx, args);
    }

    @Override public CompiledFunction[] interpretedFunctions() { return functions; }
    @Override public MemorySegment memory() { return memory; }
    @Override public long memorySize() { return memory.byteSize(); }
    @Override public long[] globalCells() { return new long[0]; }
    @Override public long[] callFunction(int funcIndex, long[] args) { return host.apply(args); }
    @Override public int resolveIndirect(int tableIndex, long elementIndex, int typeIndex) { throw new UnsupportedOperationException(); }
    @Override public int resolveRef(long ref) { throw new UnsupportedOperationException(); }
    @Override public long[] callHandle(int handle, long[] args) { throw new UnsupportedOperationException(); }
    @Override public long refFunc(int funcIndex) { throw new UnsupportedOperationException(); }
    @Override public long memoryGrow(long deltaPages) { return -1; }
    @Override public void memoryFill(long dst, int value, long n) { memory.asSlice(dst, n).fill((byte) value); }
    @Override public void memoryCopy(long dst, long src, long n) { MemorySegment.copy(memory, src, memory, dst, n); }
    @Override public void memoryInit(int segment, long dst, long src, long n) { throw new UnsupportedOperationException(); }
    @Override public void dataDrop(int segment) { }
    @Override public long tableGet(int table, long index) { throw new UnsupportedOperationException(); }
    @Override public void tableSet(int table, long index, long value) { throw new UnsupportedOperationException(); }
    @Override public long tableSize(int table) { return 0; }
    @Override public long tableGrow(int table, long init, long delta) { return -1; }
    @Override public void tableFill(int table, long index, long value, long n) { throw new UnsupportedOperationException(); }
    @Override public void tableCopy(int dstTable, int srcTable, long dst, long src, long n) { throw new UnsupportedOperationException(); }
    @Override public void tableInit(int segment, int table, long dst, long src, long n) { throw new UnsupportedOperationException(); }
    @Override public void elemDrop(int segment) { }
    @Override public void onHot(CompiledFunction f) { hot.add(f); }
    @Override public int loopWeight() { return loopWeight; }
    @Override public int poll() { polls++; return pollInterval; }
    @Override public long hotThreshold() { return hotThreshold; }
}
