package dev.kiln.interpreter;

import dev.kiln.ir.ThrownException;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.WasmFrame;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Runs {@link CompiledFunction}s. One dispatch loop over the {@code int[]} code with the frame's
 * slots in a shared {@code long[]}; Wasm-to-Wasm calls within an instance push a frame and
 * continue in the same loop. i32 values sit in slots sign-extended, f32/f64 as raw bits.
 *
 * <p>The loop runs the {@link Families#CORE} family inline and reaches every other family through
 * its {@code default} branch ({@link Families}). It is kept small on purpose: HotSpot's C2 counts
 * the loop's own bytecode against its inlining budget ({@code DesiredMethodLimit}, 8000 bytes), so
 * a loop near that size gets nothing inlined and its speed then depends on the order in which
 * call sites were profiled. The hot paths call nothing but JDK intrinsics and the memory-access
 * methods the JDK forces inline; {@code DispatchSizeTest} keeps the loop and every family method
 * under its limit.
 */
public final class Interpreter {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    /** Every address; global cells are read through it. */
    static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ThreadLocal<InterpreterStack> STACKS = ThreadLocal.withInitial(InterpreterStack::new);

    /** Counts executed instruction pairs (for choosing superinstructions; see bench/README.md): -Dkiln.interp.profile=FILE. */
    static final boolean PROFILE = System.getProperty("kiln.interp.profile") != null;

    private Interpreter() {
    }

    /**
     * Bytes of guest stack the interpreter frames on this thread count as (see
     * {@link InstanceContext#stackBytesAvailable}); 0 when none is running.
     */
    public static long stackBytesInUse() {
        return STACKS.get().bytes;
    }

    /**
     * Reports every slot of the calling thread's interpreter stack to {@code root} (the GC's
     * conservative scan of interpreter frames: every frame of every invocation on this thread,
     * and stale slots above them, which can only keep extra objects alive).
     */
    public static void reportStackRoots(LongConsumer root) {
        InterpreterStack st = STACKS.get();
        CompiledFunction fn = st.fn();
        if (fn == null) return; // no interpreter frame runs on this thread
        long[] s = st.slots;
        int top = Math.min(s.length, st.fp + fn.frameSize);
        for (int i = 0; i < top; i++) if (s[i] != 0) root.accept(s[i]);
    }

    /** Calls function {@code funcIndex} of the instance with {@code args}; returns its results. */
    public static long[] invoke(InstanceContext ctx, int funcIndex, long[] args) {
        return invoke(ctx, ctx.interpretedFunctions()[funcIndex], args);
    }

    /** Calls {@code fn} (compiled for this instance's module) with {@code args}; returns its results. */
    public static long[] invoke(InstanceContext ctx, CompiledFunction fn, long[] args) {
        return invoke(ctx, fn, args, false);
    }

    /**
     * As {@link #invoke(InstanceContext, CompiledFunction, long[])} for a caller that makes tail
     * calls ({@link #callInTail}): when {@code fn}'s invocation ends in a tail call out of the
     * interpreter, that call is left to the caller and the result is null.
     */
    public static long[] invokeOrTail(InstanceContext ctx, CompiledFunction fn, long[] args) {
        return invoke(ctx, fn, args, true);
    }

    /**
     * Makes a tail call out of the interpreter ({@code target} of {@code ctx}'s instance, or
     * {@code -1 - handle}) and every tail call out of the interpreter that the callees' bottom frames
     * leave to it, one after the other: a chain of tail calls between instances, or through
     * interpreted functions of other instances, runs in constant Java stack. Returns the last
     * callee's results.
     */
    static long[] callInTail(InstanceContext ctx, int target, long[] args) {
        return callInTail(new PendingTailCall(ctx, target, args));
    }

    /**
     * After {@link #invokeOrTail} returned null on this thread: the tail call its invocation left to
     * the caller (which makes it, or hands it to {@link #callInTail(PendingTailCall)}).
     */
    public static PendingTailCall takePendingTail() {
        InterpreterStack st = STACKS.get();
        PendingTailCall p = st.pendingTail;
        st.pendingTail = null;
        if (p == null) throw new IllegalStateException("no tail call is pending");
        return p;
    }

    /** Makes tail call {@code p} and those its callees leave, as {@link #callInTail(InstanceContext, int, long[])}. */
    public static long[] callInTail(PendingTailCall p) {
        InstanceContext ctx = p.ctx();
        int target = p.target();
        long[] args = p.args();
        InterpreterStack st = STACKS.get();
        while (true) {
            long[] res = target >= 0 ? ctx.tailCallFunction(target, args) : ctx.tailCallHandle(-1 - target, args);
            if (res != null) return res;
            PendingTailCall next = st.pendingTail;
            st.pendingTail = null;
            ctx = next.ctx();
            target = next.target();
            args = next.args();
        }
    }

    private static long[] invoke(InstanceContext ctx, CompiledFunction fn, long[] args, boolean mayTail) {
        InterpreterStack st = STACKS.get();
        int savedDepth = st.depth;
        int base = savedDepth + 1; // above the running frame of the invocation this one is nested in
        int savedBase = st.base;
        boolean savedMayTail = st.baseMayTail;
        int savedTop = st.top;
        int fp = savedTop + InterpreterStack.HEADER;
        int savedCountdown = st.pollCountdown, savedLoopCountdown = st.loopPollCountdown;
        InstanceContext savedCtx = st.ctx;
        long savedMemBase = st.memBase;
        int savedPc = st.pc, savedFp = st.fp;
        int savedCallWeight = st.callWeight, savedLoopWeight = st.loopWeight;
        long savedThreshold = st.hotThreshold;
        long savedCap = st.capBytes;
        long savedBytes = st.bytes;
        st.pollCountdown = 0; // this invocation may belong to another store: poll at once
        st.loopPollCountdown = 0; // (set from that poll below)
        st.base = base;
        st.baseMayTail = mayTail;
        st.pendingTail = null;
        try {
            long available = Math.max(0, ctx.stackBytesAvailable());
            st.capBytes = available > Long.MAX_VALUE - savedBytes ? Long.MAX_VALUE : savedBytes + available;
            st.push(fn, fp + fn.frameSize);
            long[] r = st.slots;
            r[fp - 2] = InterpreterStack.BOTTOM;
            for (int i = 0; i < fn.paramCount; i++) r[fp + i] = args[i];
            System.arraycopy(fn.constants, 0, r, fp + fn.paramCount, fn.constants.length);
            // this instance's tier-up thresholds (its engine's), for this invocation and what it calls
            st.callWeight = ctx.callWeight();
            st.loopWeight = ctx.loopWeight();
            st.hotThreshold = ctx.hotThreshold();
            fn.calls++;
            fn.hotness += st.callWeight;
            st.pollCountdown--;
            try {
                entered(st, ctx, fn);
                st.loopPollCountdown = st.pollCountdown; // the entry's poll counts for both kinds of event
            } catch (TrapException t) { // out of fuel or interrupted as the function is entered
                t.addFrame(new WasmFrame(fn.funcIndex, fn.name, fn.codeStart));
                throw t;
            }
            long[] results = run(r, fn.code, 0, fp, st, ctx, fn, base);
            return mayTail && st.pendingTail != null ? null : results;
        } catch (RuntimeException | Error e) {
            // a trap or exception leaves its frames' values behind: clear them, so that the GC's
            // conservative scan of later frames does not keep what they referenced
            if (savedTop == 0) Arrays.fill(st.slots, 0, Math.min(st.slots.length, st.highWater), 0L);
            st.highWater = 0;
            throw e;
        } finally {
            st.base = savedBase;
            st.baseMayTail = savedMayTail;
            st.depth = savedDepth;
            st.top = savedTop;
            st.pollCountdown = Math.min(savedCountdown, st.pollCountdown);
            st.loopPollCountdown = Math.min(savedLoopCountdown, st.loopPollCountdown);
            st.ctx = savedCtx;
            st.memBase = savedMemBase;
            st.pc = savedPc;
            st.fp = savedFp;
            st.callWeight = savedCallWeight;
            st.loopWeight = savedLoopWeight;
            st.hotThreshold = savedThreshold;
            st.capBytes = savedCap;
            st.bytes = savedBytes;
        }
    }

    /**
     * The slow path of a function entry, once counted ({@code calls}, {@code hotness}, the poll
     * countdown): polls when the countdown ran out (may trap: out of fuel, interrupted) and
     * reports the function hot once.
     */
    static void entered(InterpreterStack st, InstanceContext ctx, CompiledFunction fn) {
        if (st.pollCountdown < 0) st.pollCountdown = ctx.poll();
        if (fn.hotness >= st.hotThreshold && !fn.reportedHot) {
            fn.reportedHot = true;
            ctx.onHot(fn);
        }
    }

    private static TrapException outOfBounds() {
        return new TrapException(TrapKind.OUT_OF_BOUNDS_MEMORY);
    }

    /** The results of the outermost frame's RETURN at {@code pc}. */
    private static long[] results(long[] r, int[] c, int pc, int fp) {
        int n = c[pc + 1];
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = r[fp + c[pc + 2 + i]];
        return out;
    }

    /**
     * The dispatch loop. Its first four parameters are the hot locals (the JVM's one-byte load and
     * store forms reach only locals 0 to 3): the slots, the code, the pc and the frame pointer.
     * Instructions that compute a value into their first operand's slot (length 4) share one tail;
     * taken branches share another (forward: go on; backward: count a loop back-edge); the
     * instructions of effectful families and calls the loop cannot make itself share a third.
     * No local of the loop is live across a call out of it (HotSpot's compiled code has no
     * callee-saved registers, so such a value would sit in a stack slot and be reloaded in every
     * instruction): the running frame is kept current in {@code st}, {@code st.pc} is saved before
     * each call and every local is reloaded from {@code st} after it (the {@code reload} block), and
     * the exception handler reads only {@code st}.
     */
    private static long[] run(long[] r, int[] c, int pc, int fp, InterpreterStack st, InstanceContext ctx,
                              CompiledFunction fn, int base) {
        st.depth = base;
        while (true) {
            try {
                return loop(r, c, pc, fp, st, ctx, fn);
            } catch (ThrownException e) {
                if (!unwind(st, ctx, e, base)) throw e; // no handler in this invocation's frames: on to its caller
                fn = st.fn();
                c = fn.code;
                pc = st.pc;
                fp = st.fp;
                r = st.slots;
            }
        }
    }

    /**
     * Finds the handler of exception {@code e} raised in the frame saved in {@code st} (at its pc:
     * a throw, or a call the exception left), searching outward through the frames of this
     * invocation (down to {@code base}). When one catches it, that frame becomes the running one
     * at the landing pc (whose {@link Op#CATCH} takes {@code st.caught}) and the frames above it
     * are gone; otherwise returns false.
     */
    private static boolean unwind(InterpreterStack st, InstanceContext ctx, ThrownException e, int base) {
        CompiledFunction fn = st.fn();
        int pc = st.pc, fp = st.fp, depth = st.depth;
        while (true) {
            int landing = fn.handler(pc, e.tag, ctx);
            if (landing >= 0) {
                st.pc = landing;
                st.fp = fp;
                st.depth = depth;
                st.caught = e;
                return true;
            }
            if (depth == base) return false;
            st.bytes -= fn.stackBytes; // the frame is gone
            depth--;
            fn = st.frameFunction[depth];
            long link = st.slots[fp - 1];
            pc = InterpreterStack.linkPc(link);
            fp = InterpreterStack.linkFp(link);
        }
    }

    /** {@link #run}'s dispatch loop, from frame {@code st.depth}; an exception leaves it with the throwing frame saved in {@code st}. */
    private static long[] loop(long[] r, int[] c, int pc, int fp, InterpreterStack st, InstanceContext ctx,
                               CompiledFunction fn) {
        MemorySegment memory = ctx.memory();
        long memBase = memory == null ? 0 : memory.address();
        long memSize = ctx.memorySize();
        st.ctx = ctx;
        st.memBase = memBase;
        st.running(fn);
        st.fp = fp;
        try {
            while (true) {
                int op = c[pc];
                if (PROFILE) st.profile.record(op);
                long v;
                int t;
                reload:
                {
                effect:
                {
                    taken:
                    {
                        switch (op) {
                        case Op.MOV -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]]; pc += 3; continue; }
                        case Op.MOV2 -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]]; r[fp + c[pc + 3]] = r[fp + c[pc + 4]]; pc += 5; continue; }
                        case Op.CONST -> { r[fp + c[pc + 1]] = c[pc + 2]; pc += 3; continue; }
                        case Op.MOV_JMP -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]]; t = c[pc + 3]; break taken; }
                        case Op.CONST_JMP -> { r[fp + c[pc + 1]] = c[pc + 2]; t = c[pc + 3]; break taken; }
                        case Op.JMP -> { t = c[pc + 1]; break taken; }
                        case Op.BR_AND_NZ -> { if (((int) r[fp + c[pc + 1]] & c[pc + 2]) == 0) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_AND_Z -> { if (((int) r[fp + c[pc + 1]] & c[pc + 2]) != 0) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_TABLE -> { t = c[pc + 3 + (int) Math.min(r[fp + c[pc + 1]] & 0xFFFF_FFFFL, c[pc + 2])]; break taken; }
                        case Op.SELECT -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 4]] != 0 ? r[fp + c[pc + 2]] : r[fp + c[pc + 3]]; pc += 5; continue; }
                        case Op.RETURN -> { // restores what the CALL saved in the header below the frame (InterpreterStack.slots)
                            long saved = r[fp - 2];
                            if (saved == InterpreterStack.BOTTOM) return results(r, c, pc, fp);
                            int n = c[pc + 1];
                            int depth = (int) saved; // InterpreterStack.saved and link undone, written out
                            st.depth = depth;
                            st.bytes = saved >>> 32;
                            CompiledFunction caller = st.frameFunction[depth];
                            long link = r[fp - 1];
                            int cpc = (int) (link >>> 32);
                            int cfp = (int) link;
                            int[] cc = caller.code;
                            int at = cpc + 4 + cc[cpc + 2]; // the call's result slots
                            int next = cc[cpc] == Op.CALL ? at + n : at + n + 2; // CALL_INDIRECT: its table and index follow
                            st.fp = cfp;
                            if (n == 1) r[cfp + cc[at]] = r[fp + c[pc + 2]];
                            else if (n != 0) {
                                copyResults(r, c, pc + 2, fp, cc, at, cfp, n);
                                st.pc = next;
                                break reload;
                            }
                            pc = next;
                            fn = caller;
                            c = cc;
                            fp = cfp;
                            continue;
                        }
                        case Op.CALL -> {
                            CompiledFunction callee = ctx.interpretedFunctions()[c[pc + 1]];
                            if (callee == null) break effect; // not prepared yet, or not interpreted: CallOps
                            int nfp = fp + fn.frameSize;
                            long was = st.bytes;
                            long bytes = was + callee.stackBytes;
                            int depth = st.depth;
                            // over the budget, or the stacks must grow: CallOps enters it
                            if (bytes > st.capBytes || depth + 1 >= st.frameFunction.length || nfp + callee.frameSize > r.length) break effect;
                            if (nfp + callee.frameSize > st.highWater) st.highWater = nfp + callee.frameSize;
                            st.bytes = bytes;
                            st.frameFunction[depth + 1] = callee;
                            r[nfp - 1] = (long) pc << 32 | fp; // the header (InterpreterStack.link, saved)
                            r[nfp - 2] = was << 32 | depth;
                            st.depth = depth + 1;
                            st.fp = nfp;
                            callee.calls++;
                            int nargs = c[pc + 2];
                            long[] k = callee.constants;
                            boolean slow = (callee.hotness += st.callWeight) >= st.hotThreshold | --st.pollCountdown < 0;
                            if (nargs == 1) r[nfp] = r[fp + c[pc + 4]];
                            else if (nargs != 0) {
                                copy(r, c, pc + 4, nargs, fp, nfp);
                                slow = true;
                            }
                            if (k.length != 0 | slow) {
                                System.arraycopy(k, 0, r, nfp + callee.paramCount, k.length);
                                st.pc = 0;
                                entered(st, st.ctx, callee);
                                break reload;
                            }
                            fn = callee;
                            c = callee.code;
                            fp = nfp;
                            pc = 0;
                            continue;
                        }
                        case Op.BR_I32_EQ -> { if ((int) r[fp + c[pc + 1]] != (int) r[fp + c[pc + 2]]) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_I32_NE -> { if ((int) r[fp + c[pc + 1]] == (int) r[fp + c[pc + 2]]) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_I32_LT_S -> { if ((int) r[fp + c[pc + 1]] >= (int) r[fp + c[pc + 2]]) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_I32_LT_U -> { if (Integer.compareUnsigned((int) r[fp + c[pc + 1]], (int) r[fp + c[pc + 2]]) >= 0) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_I32_LE_S -> { if ((int) r[fp + c[pc + 1]] > (int) r[fp + c[pc + 2]]) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_I32_LE_U -> { if (Integer.compareUnsigned((int) r[fp + c[pc + 1]], (int) r[fp + c[pc + 2]]) > 0) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_I32_EQ_IMM -> { if ((int) r[fp + c[pc + 1]] != c[pc + 2]) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_I32_NE_IMM -> { if ((int) r[fp + c[pc + 1]] == c[pc + 2]) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_I32_LT_S_IMM -> { if ((int) r[fp + c[pc + 1]] >= c[pc + 2]) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_I32_LT_U_IMM -> { if (Integer.compareUnsigned((int) r[fp + c[pc + 1]], c[pc + 2]) >= 0) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_I32_GT_S_IMM -> { if ((int) r[fp + c[pc + 1]] <= c[pc + 2]) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_I32_GT_U_IMM -> { if (Integer.compareUnsigned((int) r[fp + c[pc + 1]], c[pc + 2]) <= 0) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.I32_ADD -> v = (int) r[fp + c[pc + 2]] + (int) r[fp + c[pc + 3]];
                        case Op.I32_SUB -> v = (int) r[fp + c[pc + 2]] - (int) r[fp + c[pc + 3]];
                        case Op.I32_MUL -> v = (int) r[fp + c[pc + 2]] * (int) r[fp + c[pc + 3]];
                        case Op.I32_AND -> v = (int) r[fp + c[pc + 2]] & (int) r[fp + c[pc + 3]];
                        case Op.I32_OR -> v = (int) r[fp + c[pc + 2]] | (int) r[fp + c[pc + 3]];
                        case Op.I32_XOR -> v = (int) r[fp + c[pc + 2]] ^ (int) r[fp + c[pc + 3]];
                        case Op.I32_SHL -> v = (int) r[fp + c[pc + 2]] << (int) r[fp + c[pc + 3]];
                        case Op.I32_SHR_S -> v = (int) r[fp + c[pc + 2]] >> (int) r[fp + c[pc + 3]];
                        case Op.I32_SHR_U -> v = (int) r[fp + c[pc + 2]] >>> (int) r[fp + c[pc + 3]];
                        case Op.I32_EQZ -> v = (int) r[fp + c[pc + 2]] == 0 ? 1 : 0;
                        case Op.I32_ADD_IMM -> v = (int) r[fp + c[pc + 2]] + c[pc + 3];
                        case Op.I32_MUL_IMM -> v = (int) r[fp + c[pc + 2]] * c[pc + 3];
                        case Op.I32_AND_IMM -> v = (int) r[fp + c[pc + 2]] & c[pc + 3];
                        case Op.I32_OR_IMM -> v = (int) r[fp + c[pc + 2]] | c[pc + 3];
                        case Op.I32_XOR_IMM -> v = (int) r[fp + c[pc + 2]] ^ c[pc + 3];
                        case Op.I32_SHL_IMM -> v = (int) r[fp + c[pc + 2]] << c[pc + 3];
                        case Op.I32_SHR_S_IMM -> v = (int) r[fp + c[pc + 2]] >> c[pc + 3];
                        case Op.I32_SHR_U_IMM -> v = (int) r[fp + c[pc + 2]] >>> c[pc + 3];
                        case Op.I32_EQ_IMM -> v = (int) r[fp + c[pc + 2]] == c[pc + 3] ? 1 : 0;
                        case Op.I32_NE_IMM -> v = (int) r[fp + c[pc + 2]] != c[pc + 3] ? 1 : 0;
                        case Op.I32_LT_S_IMM -> v = (int) r[fp + c[pc + 2]] < c[pc + 3] ? 1 : 0;
                        case Op.I32_LT_U_IMM -> v = Integer.compareUnsigned((int) r[fp + c[pc + 2]], c[pc + 3]) < 0 ? 1 : 0;
                        case Op.I32_GT_S_IMM -> v = (int) r[fp + c[pc + 2]] > c[pc + 3] ? 1 : 0;
                        case Op.I32_GT_U_IMM -> v = Integer.compareUnsigned((int) r[fp + c[pc + 2]], c[pc + 3]) > 0 ? 1 : 0;
                        case Op.I64_ADD -> v = r[fp + c[pc + 2]] + r[fp + c[pc + 3]];
                        case Op.I64_SUB -> v = r[fp + c[pc + 2]] - r[fp + c[pc + 3]];
                        case Op.I64_MUL -> v = r[fp + c[pc + 2]] * r[fp + c[pc + 3]];
                        case Op.I64_AND -> v = r[fp + c[pc + 2]] & r[fp + c[pc + 3]];
                        case Op.I64_OR -> v = r[fp + c[pc + 2]] | r[fp + c[pc + 3]];
                        case Op.I64_XOR -> v = r[fp + c[pc + 2]] ^ r[fp + c[pc + 3]];
                        case Op.I64_SHL -> v = r[fp + c[pc + 2]] << r[fp + c[pc + 3]];
                        case Op.I64_SHR_U -> v = r[fp + c[pc + 2]] >>> r[fp + c[pc + 3]];
                        case Op.I64_EQ -> v = r[fp + c[pc + 2]] == r[fp + c[pc + 3]] ? 1 : 0;
                        case Op.I64_LT_S -> v = r[fp + c[pc + 2]] < r[fp + c[pc + 3]] ? 1 : 0;
                        case Op.I64_EQZ -> v = r[fp + c[pc + 2]] == 0 ? 1 : 0;
                        case Op.I64_ADD_IMM -> v = r[fp + c[pc + 2]] + c[pc + 3];
                        case Op.I64_AND_IMM -> v = r[fp + c[pc + 2]] & c[pc + 3];
                        case Op.I64_SHL_IMM -> v = r[fp + c[pc + 2]] << c[pc + 3];
                        case Op.I64_SHR_U_IMM -> v = r[fp + c[pc + 2]] >>> c[pc + 3];
                        case Op.I32_WRAP_I64 -> v = (int) r[fp + c[pc + 2]];
                        case Op.I64_EXTEND_I32_S -> v = (int) r[fp + c[pc + 2]];
                        case Op.I64_EXTEND_I32_U -> v = r[fp + c[pc + 2]] & 0xFFFF_FFFFL;
                        case Op.F64_ADD -> v = Double.doubleToRawLongBits(Double.longBitsToDouble(r[fp + c[pc + 2]]) + Double.longBitsToDouble(r[fp + c[pc + 3]]));
                        case Op.F64_SUB -> v = Double.doubleToRawLongBits(Double.longBitsToDouble(r[fp + c[pc + 2]]) - Double.longBitsToDouble(r[fp + c[pc + 3]]));
                        case Op.F64_MUL -> v = Double.doubleToRawLongBits(Double.longBitsToDouble(r[fp + c[pc + 2]]) * Double.longBitsToDouble(r[fp + c[pc + 3]]));
                        case Op.F64_DIV -> v = Double.doubleToRawLongBits(Double.longBitsToDouble(r[fp + c[pc + 2]]) / Double.longBitsToDouble(r[fp + c[pc + 3]]));
                        case Op.LOAD_I32 -> v = NATIVE.get(I32, memBase + ea(r[fp + c[pc + 2]], c[pc + 3], memSize - 4, st, pc));
                        case Op.LOAD_I64 -> v = NATIVE.get(I64, memBase + ea(r[fp + c[pc + 2]], c[pc + 3], memSize - 8, st, pc));
                        case Op.LOAD_I8_S -> v = NATIVE.get(I8, memBase + ea(r[fp + c[pc + 2]], c[pc + 3], memSize - 1, st, pc));
                        case Op.LOAD_I8_U -> v = NATIVE.get(I8, memBase + ea(r[fp + c[pc + 2]], c[pc + 3], memSize - 1, st, pc)) & 0xFF;
                        case Op.LOAD_I16_U -> v = NATIVE.get(I16, memBase + ea(r[fp + c[pc + 2]], c[pc + 3], memSize - 2, st, pc)) & 0xFFFF;
                        case Op.STORE_I32 -> { NATIVE.set(I32, memBase + ea(r[fp + c[pc + 2]], c[pc + 3], memSize - 4, st, pc), (int) r[fp + c[pc + 1]]); pc += 4; continue; }
                        case Op.STORE_I64 -> { NATIVE.set(I64, memBase + ea(r[fp + c[pc + 2]], c[pc + 3], memSize - 8, st, pc), r[fp + c[pc + 1]]); pc += 4; continue; }
                        case Op.STORE_I8 -> { NATIVE.set(I8, memBase + ea(r[fp + c[pc + 2]], c[pc + 3], memSize - 1, st, pc), (byte) r[fp + c[pc + 1]]); pc += 4; continue; }
                        case Op.STORE_I16 -> { NATIVE.set(I16, memBase + ea(r[fp + c[pc + 2]], c[pc + 3], memSize - 2, st, pc), (short) r[fp + c[pc + 1]]); pc += 4; continue; }
                        case Op.GLOBAL_GET_32 -> v = NATIVE.get(I32, ctx.globalCells()[c[pc + 2]]);
                        case Op.ADD_IMM_LOAD_I32 -> { long a = (int) r[fp + c[pc + 2]] + c[pc + 3]; r[fp + c[pc + 1]] = a; r[fp + c[pc + 4]] = NATIVE.get(I32, memBase + ea(a, c[pc + 5], memSize - 4, st, pc)); pc += 6; continue; }
                        case Op.ADD_IMM_LOAD_I64 -> { long a = (int) r[fp + c[pc + 2]] + c[pc + 3]; r[fp + c[pc + 1]] = a; r[fp + c[pc + 4]] = NATIVE.get(I64, memBase + ea(a, c[pc + 5], memSize - 8, st, pc)); pc += 6; continue; }
                        case Op.LOAD_I64_MUL_F64 -> { long x = NATIVE.get(I64, memBase + ea(r[fp + c[pc + 2]], c[pc + 3], memSize - 8, st, pc)); r[fp + c[pc + 1]] = x; r[fp + c[pc + 4]] = Double.doubleToRawLongBits(Double.longBitsToDouble(x) * Double.longBitsToDouble(r[fp + c[pc + 5]])); pc += 6; continue; }
                        case Op.F64_MUL_ADD -> { double x = Double.longBitsToDouble(r[fp + c[pc + 2]]) * Double.longBitsToDouble(r[fp + c[pc + 3]]); r[fp + c[pc + 1]] = Double.doubleToRawLongBits(x); r[fp + c[pc + 4]] = Double.doubleToRawLongBits(x + Double.longBitsToDouble(r[fp + c[pc + 5]])); pc += 6; continue; }
                        case Op.F64_MUL_MUL -> { double x = Double.longBitsToDouble(r[fp + c[pc + 2]]) * Double.longBitsToDouble(r[fp + c[pc + 3]]); r[fp + c[pc + 1]] = Double.doubleToRawLongBits(x); r[fp + c[pc + 4]] = Double.doubleToRawLongBits(x * Double.longBitsToDouble(r[fp + c[pc + 5]])); pc += 6; continue; }
                        case Op.ADD_IMM_STORE_I8 -> { long a = (int) r[fp + c[pc + 2]] + c[pc + 3]; r[fp + c[pc + 1]] = a; NATIVE.set(I8, memBase + ea(a, c[pc + 5], memSize - 1, st, pc), (byte) r[fp + c[pc + 4]]); pc += 6; continue; }
                        case Op.ADD_IMM_STORE_I32 -> { long a = (int) r[fp + c[pc + 2]] + c[pc + 3]; r[fp + c[pc + 1]] = a; NATIVE.set(I32, memBase + ea(a, c[pc + 5], memSize - 4, st, pc), (int) r[fp + c[pc + 4]]); pc += 6; continue; }
                        case Op.ADD_IMM_BR_NE_IMM -> { int a = (int) r[fp + c[pc + 2]] + c[pc + 3]; r[fp + c[pc + 1]] = a; if (a == c[pc + 4]) { pc += 6; continue; } t = c[pc + 5]; break taken; }
                        case Op.ADD_BR_LT_U_IMM -> { int a = (int) r[fp + c[pc + 2]] + (int) r[fp + c[pc + 3]]; r[fp + c[pc + 1]] = a; if (Integer.compareUnsigned(a, c[pc + 4]) >= 0) { pc += 6; continue; } t = c[pc + 5]; break taken; }
                        case Op.ADD_IMM_BR_EQ_IMM -> { int a = (int) r[fp + c[pc + 2]] + c[pc + 3]; r[fp + c[pc + 1]] = a; if (a != c[pc + 4]) { pc += 6; continue; } t = c[pc + 5]; break taken; }
                        case Op.ADD_IMM_LOAD_I8_U -> { long a = (int) r[fp + c[pc + 2]] + c[pc + 3]; r[fp + c[pc + 1]] = a; r[fp + c[pc + 4]] = NATIVE.get(I8, memBase + ea(a, c[pc + 5], memSize - 1, st, pc)) & 0xFF; pc += 6; continue; }
                        case Op.BR_F64_LT -> { if (!(Double.longBitsToDouble(r[fp + c[pc + 1]]) < Double.longBitsToDouble(r[fp + c[pc + 2]]))) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_F64_NOT_LT -> { if (Double.longBitsToDouble(r[fp + c[pc + 1]]) < Double.longBitsToDouble(r[fp + c[pc + 2]])) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_F64_LE -> { if (!(Double.longBitsToDouble(r[fp + c[pc + 1]]) <= Double.longBitsToDouble(r[fp + c[pc + 2]]))) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.BR_F64_NOT_LE -> { if (Double.longBitsToDouble(r[fp + c[pc + 1]]) <= Double.longBitsToDouble(r[fp + c[pc + 2]])) { pc += 4; continue; } t = c[pc + 3]; break taken; }
                        case Op.GLOBAL_SET_32 -> { NATIVE.set(I32, ctx.globalCells()[c[pc + 1]], (int) r[fp + c[pc + 2]]); pc += 3; continue; }
                        default -> {
                            break effect;
                        }
                        }
                        r[fp + c[pc + 1]] = v;
                        pc += 4;
                        continue;
                    }
                    // a taken branch to t
                    if (t > pc) {
                        pc = t;
                        continue;
                    }
                    pc = t; // backward: a loop back-edge
                    fn.backEdges++;
                    if ((fn.hotness += st.loopWeight) < st.hotThreshold & --st.loopPollCountdown >= 0) continue;
                    st.pc = pc;
                    st.pc = loopEvent(st, ctx, fn, pc, fp);
                    break reload;
                }
                // a pure or effectful family's instruction, or a call the loop does not make itself
                st.pc = pc;
                if (op < Families.FIRST_EFFECTFUL_OP && op != Op.CALL) { // CALL: a callee not entered by the loop itself
                    st.pc = Families.pure(op, r, c, pc, fp);
                    break reload;
                }
                st.top = fp + fn.frameSize;
                int next = Families.effectful(op, r, c, pc, fp, st, ctx);
                if (next >= 0) st.pc = next;
                else if (next == Families.ENTERED) {
                    CompiledFunction f = st.fn();
                    f.calls++;
                    if ((f.hotness += st.callWeight) >= st.hotThreshold | --st.pollCountdown < 0) entered(st, st.ctx, f);
                }
                }
                // after a call out of the loop: the running frame is in st (no local is live across such a call)
                ctx = st.ctx;
                fn = st.fn();
                c = fn.code;
                pc = st.pc;
                fp = st.fp;
                r = st.slots;
                memBase = st.memBase;
                memSize = ctx.memorySize();
            }
        } catch (ThrownException | TrapException e) {
            throw leaving(e, st);
        } catch (StackOverflowError e) {
            // Only deep host re-entry can exhaust the Java stack; report it as Wasm does.
            TrapException t = new TrapException(TrapKind.CALL_STACK_EXHAUSTED);
            CompiledFunction f = st.fn();
            t.addFrame(new WasmFrame(f.funcIndex, f.name, f.wasmOffsetAt(st.pc)));
            throw t;
        }
    }

    /**
     * Copies the arguments of the call at {@code pc} (CALL or CALL_INDIRECT: func/type nargs nres
     * args...) into the callee's parameter slots at {@code nfp}. A method of its own so that the
     * dispatch loop has no inner loop: HotSpot compiles a hot method for on-stack replacement at
     * the loop whose back-edge counter overflowed, and an OSR entry inside one instruction's arm
     * gives the whole dispatch loop poor code.
     */
    static void copyArgs(long[] r, int[] c, int pc, int fp, int nfp) {
        copy(r, c, pc + 4, c[pc + 2], fp, nfp);
    }

    /** {@code r[to + i] = r[fp + c[at + i]]} for the {@code n} slots named at {@code c[at..]}; under C1's inlining size (35 bytes). */
    private static void copy(long[] r, int[] c, int at, int n, int fp, int to) {
        for (int i = 0; i < n; i++) r[to + i] = r[fp + c[at + i]];
    }

    /** Copies {@code n} results from the slots named at {@code c[from..]} of frame {@code fp} to those named at {@code cc[at..]} of frame {@code cfp} (see {@link #copyArgs}). */
    private static void copyResults(long[] r, int[] c, int from, int fp, int[] cc, int at, int cfp, int n) {
        for (int i = 0; i < n; i++) r[cfp + cc[at + i]] = r[fp + c[from + i]];
    }

    /**
     * An exception leaving the loop (outside it, to keep the loop small): a Wasm exception with the
     * running frame saved in {@code st} (for {@link #unwind}); a trap with this invocation's frames
     * added, innermost first.
     */
    private static RuntimeException leaving(RuntimeException e, InterpreterStack st) {
        if (e instanceof ThrownException) return e;
        CompiledFunction fn = st.fn();
        int pc = st.pc;
        int depth = st.depth;
        TrapException t = (TrapException) e;
        if (!t.takeInnermostFrameAdded()) {
            t.addFrame(new WasmFrame(fn.funcIndex, fn.name, t.frames().isEmpty() ? fn.wasmOffsetOf(t.kind, pc) : fn.wasmOffsetAt(pc)));
        }
        for (int i = depth - 1, fp = st.fp; i >= st.base; i--) {
            CompiledFunction caller = st.frameFunction[i];
            long link = st.slots[fp - 1];
            t.addFrame(new WasmFrame(caller.funcIndex, caller.name, caller.wasmOffsetAt(InterpreterStack.linkPc(link))));
            fp = InterpreterStack.linkFp(link);
        }
        return t;
    }

    /** The effective address of an access at {@code addr} (an i32) plus {@code offset} (a u32) of {@code size} bytes; traps past memory's end. */
    static long ea(long addr, int offset, int size, long memSize) {
        return ea(addr, offset, memSize - size);
    }

    /** The effective address of an access at {@code addr} (an i32) plus {@code offset} (a u32); traps past {@code last}. */
    private static long ea(long addr, int offset, long last) {
        long a = (addr & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL);
        if (a > last) throw outOfBounds();
        return a;
    }

    /** {@link #ea(long, int, long)} for the dispatch loop: a trap saves the instruction's {@code pc} in {@code st} for the handler. */
    private static long ea(long addr, int offset, long last, InterpreterStack st, int pc) {
        long a = (addr & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL);
        if (a > last) {
            st.pc = pc;
            throw outOfBounds();
        }
        return a;
    }

    /**
     * The slow path of a loop back-edge to {@code t}, once counted: polls when the countdown ran
     * out, and once the function is hot, either keeps going or, when native code for loop header
     * {@code t} is ready, runs the rest of the function there (on-stack replacement) and continues
     * at the function's OSR return with its results.
     */
    private static int loopEvent(InterpreterStack st, InstanceContext ctx, CompiledFunction fn, int t, int fp) {
        if (st.loopPollCountdown < 0) st.loopPollCountdown = ctx.poll();
        return fn.hotness < st.hotThreshold ? t : hotLoop(st, ctx, fn, t, fp);
    }

    private static int hotLoop(InterpreterStack st, InstanceContext ctx, CompiledFunction fn, int t, int fp) {
        if (!fn.reportedHot) {
            fn.reportedHot = true;
            ctx.onHot(fn);
        }
        int idx = fn.osrIndex(t);
        if (idx < 0) return t;
        if (fn.osrEntries[idx] == null) {
            if (fn.osrRequested[idx]) return t;
            fn.osrRequested[idx] = true;
            st.top = fp + fn.frameSize;
            ctx.onHotLoop(fn, idx);
            if (fn.osrEntries[idx] == null) return t; // compiling in the background: keep interpreting
        }
        int[] slots = fn.osrSlots[idx];
        long[] values = new long[slots.length];
        for (int k = 0; k < slots.length; k++) values[k] = st.slots[fp + slots[k]];
        st.top = fp + fn.frameSize;
        long[] results;
        try {
            results = ctx.enterOsr(fn, idx, values);
        } catch (TrapException trap) {
            trap.markInnermostFrameAdded(); // the continuation's native frame is this activation
            throw trap;
        } catch (ThrownException e) {
            // the continuation ran the rest of this activation, its handlers included: the exception
            // leaves it, so unwinding starts from the shared return, outside every try region
            st.pc = fn.osrReturnPc;
            throw e;
        }
        long[] r = st.slots;
        for (int k = 0; k < results.length; k++) r[fp + fn.osrResultSlot + k] = results[k];
        return fn.osrReturnPc;
    }
}
