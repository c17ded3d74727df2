package dev.kiln.tests.fuzz.wasm;

import java.util.ArrayList;
import java.util.List;

/**
 * The instruction tree of a generated function: each node pushes {@link #types()} after its
 * children (evaluated left to right) pushed theirs. A statement pushes nothing. Nodes that end
 * control ({@link Br}, {@link BrTable}, {@link Return}, {@link Unreachable}) are stack-polymorphic
 * and claim whatever types their position needs.
 *
 * <p>Four nodes keep generated programs terminating and deterministic, and are never taken
 * apart by shrinking: {@link BackEdge} (a loop's only way back, guarded by its counter),
 * {@link FuelGuard} (calls that could recurse spend one unit of a global fuel), {@link Canon}
 * (a float whose NaN bits the spec leaves open becomes the canonical NaN before anything can
 * observe its bits) and {@link VCanon} (the same for each lane of a float vector).
 */
public sealed interface Expr {
    List<NumType> types();

    private static List<NumType> none() {
        return List.of();
    }

    /** A constant; {@code high} is bits 64-127 of a v128 (0 for the other types); of {@link NumType#EXNREF}, {@code ref.null exn}. */
    record Const(NumType type, long bits, long high) implements Expr {
        public Const {
            bits = type == NumType.EXNREF ? 0 : type.normalize(bits);
            if (type != NumType.V128) high = 0;
        }

        public Const(NumType type, long bits) {
            this(type, bits, 0);
        }

        public boolean isZero() {
            return bits == 0 && high == 0;
        }

        public List<NumType> types() {
            return List.of(type);
        }
    }

    record LocalGet(int index, NumType type) implements Expr {
        public List<NumType> types() {
            return List.of(type);
        }
    }

    record LocalSet(int index, Expr value) implements Expr {
        public List<NumType> types() {
            return none();
        }
    }

    record LocalTee(int index, Expr value) implements Expr {
        public List<NumType> types() {
            return value.types();
        }
    }

    record GlobalGet(int index, NumType type) implements Expr {
        public List<NumType> types() {
            return List.of(type);
        }
    }

    record GlobalSet(int index, Expr value) implements Expr {
        public List<NumType> types() {
            return none();
        }
    }

    record Numeric(NumericOp op, List<Expr> operands) implements Expr {
        public Numeric {
            operands = List.copyOf(operands);
        }

        public List<NumType> types() {
            return List.of(op.result);
        }
    }

    /** A SIMD operation on values; {@code imm} is the lane (extract/replace_lane), {@code imm}/{@code imm2} a shuffle's 16 lane bytes. */
    record Simd(SimdOp op, List<Expr> operands, long imm, long imm2) implements Expr {
        public Simd {
            operands = List.copyOf(operands);
        }

        public List<NumType> types() {
            return List.of(op.result());
        }
    }

    /** {@code v128.loadN_lane}: lane {@code lane} of {@code vector} replaced by bytes from memory. */
    record LoadLane(LaneOp op, int alignLog2, long offset, int lane, Expr address, Expr vector, int memory) implements Expr {
        public LoadLane(LaneOp op, int alignLog2, long offset, int lane, Expr address, Expr vector) {
            this(op, alignLog2, offset, lane, address, vector, 0);
        }

        public List<NumType> types() {
            return List.of(NumType.V128);
        }
    }

    /** {@code v128.storeN_lane}: lane {@code lane} of {@code vector} to memory. */
    record StoreLane(LaneOp op, int alignLog2, long offset, int lane, Expr address, Expr vector, int memory) implements Expr {
        public StoreLane(LaneOp op, int alignLog2, long offset, int lane, Expr address, Expr vector) {
            this(op, alignLog2, offset, lane, address, vector, 0);
        }

        public List<NumType> types() {
            return none();
        }
    }

    /** A load from memory {@code memory} (an address of that memory's type; the offset a u64 for a 64-bit memory). */
    record Load(MemOp op, int alignLog2, long offset, Expr address, int memory) implements Expr {
        public Load(MemOp op, int alignLog2, long offset, Expr address) {
            this(op, alignLog2, offset, address, 0);
        }

        public List<NumType> types() {
            return List.of(op.type);
        }
    }

    record Store(MemOp op, int alignLog2, long offset, Expr address, Expr value, int memory) implements Expr {
        public Store(MemOp op, int alignLog2, long offset, Expr address, Expr value) {
            this(op, alignLog2, offset, address, value, 0);
        }

        public List<NumType> types() {
            return none();
        }
    }

    /** {@code memory.size} of memory {@code memory}: an i64 for a 64-bit memory. */
    record MemorySize(int memory, boolean is64) implements Expr {
        public MemorySize() {
            this(0, false);
        }

        public List<NumType> types() {
            return List.of(is64 ? NumType.I64 : NumType.I32);
        }
    }

    record MemoryGrow(Expr delta, int memory, boolean is64) implements Expr {
        public MemoryGrow(Expr delta) {
            this(delta, 0, false);
        }

        public List<NumType> types() {
            return List.of(is64 ? NumType.I64 : NumType.I32);
        }
    }

    record MemoryFill(Expr dest, Expr value, Expr length, int memory) implements Expr {
        public MemoryFill(Expr dest, Expr value, Expr length) {
            this(dest, value, length, 0);
        }

        public List<NumType> types() {
            return none();
        }
    }

    /** {@code memory.copy} from memory {@code sourceMemory} to {@code destMemory} (the length an i64 only when both are 64-bit). */
    record MemoryCopy(Expr dest, Expr source, Expr length, int destMemory, int sourceMemory) implements Expr {
        public MemoryCopy(Expr dest, Expr source, Expr length) {
            this(dest, source, length, 0, 0);
        }

        public List<NumType> types() {
            return none();
        }
    }

    /** Copies bytes of data segment {@code segment} into memory. */
    record MemoryInit(int segment, Expr dest, Expr source, Expr length, int memory) implements Expr {
        public MemoryInit(int segment, Expr dest, Expr source, Expr length) {
            this(segment, dest, source, length, 0);
        }

        public List<NumType> types() {
            return none();
        }
    }

    record DataDrop(int segment) implements Expr {
        public List<NumType> types() {
            return none();
        }
    }

    /** {@code select}; {@code typed} writes {@code select (result t)}. */
    record Select(Expr first, Expr second, Expr condition, boolean typed) implements Expr {
        public List<NumType> types() {
            return first.types();
        }
    }

    /** Drops every value {@code value} pushes. */
    record Drop(Expr value) implements Expr {
        public List<NumType> types() {
            return none();
        }
    }

    record Nop() implements Expr {
        public List<NumType> types() {
            return none();
        }
    }

    record Unreachable(List<NumType> claimed) implements Expr {
        public Unreachable {
            claimed = List.copyOf(claimed);
        }

        public List<NumType> types() {
            return claimed;
        }
    }

    /** {@code inputs} push the block's parameters. */
    record Block(Label label, FuncSig sig, List<Expr> inputs, Body body) implements Expr {
        public Block {
            inputs = List.copyOf(inputs);
        }

        public List<NumType> types() {
            return sig.results();
        }
    }

    /**
     * Sets the counter local ({@code label.counterLocal()}) to {@code trips}, then loops; only
     * {@link BackEdge}s branch back, so the body runs at most {@code max(1, trips)} times per entry.
     */
    record Loop(Label label, FuncSig sig, int trips, List<Expr> inputs, Body body) implements Expr {
        public Loop {
            inputs = List.copyOf(inputs);
        }

        public List<NumType> types() {
            return sig.results();
        }
    }

    record If(Label label, FuncSig sig, List<Expr> inputs, Expr condition, Body then, Body otherwise) implements Expr {
        public If {
            inputs = List.copyOf(inputs);
        }

        public List<NumType> types() {
            return sig.results();
        }
    }

    record Br(Label target, List<Expr> values, List<NumType> claimed) implements Expr {
        public Br {
            values = List.copyOf(values);
            claimed = List.copyOf(claimed);
        }

        public List<NumType> types() {
            return claimed;
        }
    }

    /** Pushes the branch values back when the branch is not taken. Never targets a loop (see {@link BackEdge}). */
    record BrIf(Label target, List<Expr> values, Expr condition) implements Expr {
        public BrIf {
            values = List.copyOf(values);
        }

        public List<NumType> types() {
            return target.types();
        }
    }

    /** Targets are never loops. */
    record BrTable(List<Label> targets, Label defaultTarget, List<Expr> values, Expr index, List<NumType> claimed) implements Expr {
        public BrTable {
            targets = List.copyOf(targets);
            values = List.copyOf(values);
            claimed = List.copyOf(claimed);
        }

        public List<NumType> types() {
            return claimed;
        }
    }

    /**
     * {@code br_if} back to {@code loop} while its counter, decremented, stays positive:
     * {@code (br_if $L values (i32.gt_s (local.tee $c (i32.sub (local.get $c) (i32.const 1))) (i32.const 0)))}.
     * Pushes the loop's parameters back when it falls through.
     */
    record BackEdge(Label loop, List<Expr> values) implements Expr {
        public BackEdge {
            values = List.copyOf(values);
        }

        public List<NumType> types() {
            return loop.types();
        }
    }

    record Return(List<Expr> values, List<NumType> claimed) implements Expr {
        public Return {
            values = List.copyOf(values);
            claimed = List.copyOf(claimed);
        }

        public List<NumType> types() {
            return claimed;
        }
    }

    record Call(int function, List<Expr> args, List<NumType> results) implements Expr {
        public Call {
            args = List.copyOf(args);
            results = List.copyOf(results);
        }

        public List<NumType> types() {
            return results;
        }
    }

    /** Through table 0 with the module's type {@code typeIndex}. */
    record CallIndirect(int typeIndex, List<Expr> args, Expr index, List<NumType> results) implements Expr {
        public CallIndirect {
            args = List.copyOf(args);
            results = List.copyOf(results);
        }

        public List<NumType> types() {
            return results;
        }
    }

    /** {@code call_ref} of {@code (ref.func function)}, whose type is the module's type {@code typeIndex}. */
    record CallRef(int typeIndex, int function, List<Expr> args, List<NumType> results) implements Expr {
        public CallRef {
            args = List.copyOf(args);
            results = List.copyOf(results);
        }

        public List<NumType> types() {
            return results;
        }
    }

    /**
     * A tail call ({@code return_call}, {@code return_call_indirect} through table 0 with
     * {@code index}, or {@code return_call_ref} of {@code (ref.func function)}): the callee's results
     * are the function's; it ends control, so it claims whatever types its position needs.
     * {@code function} is -1 and {@code index} non-null only for the indirect kind.
     */
    record TailCall(Kind kind, int typeIndex, int function, List<Expr> args, Expr index, List<NumType> claimed) implements Expr {
        public enum Kind { DIRECT, INDIRECT, REF }

        public TailCall {
            args = List.copyOf(args);
            claimed = List.copyOf(claimed);
        }

        public List<NumType> types() {
            return claimed;
        }
    }

    /** {@code throw} of tag {@code tag} with {@code args} as its payload; ends control. */
    record Throw(int tag, List<Expr> args, List<NumType> claimed) implements Expr {
        public Throw {
            args = List.copyOf(args);
            claimed = List.copyOf(claimed);
        }

        public List<NumType> types() {
            return claimed;
        }
    }

    /** {@code throw_ref} of an exnref (a null one traps); ends control. */
    record ThrowRef(Expr exception, List<NumType> claimed) implements Expr {
        public ThrowRef {
            claimed = List.copyOf(claimed);
        }

        public List<NumType> types() {
            return claimed;
        }
    }

    /**
     * {@code try_table} with {@code clauses}, in a frame of blocks that gives each clause with a
     * handler its landing block. A clause either branches to an enclosing block or if ({@code handler}
     * null; catch and catch_all only) or to a landing block of its own ({@code target}, whose types are
     * the clause's payload), after which its {@code handler} runs with the payload on the stack and
     * leaves this node's results; then control goes to the end of the frame ({@code done}). Without
     * handlers there is no frame:
     * <pre>
     * (block $done (result R)
     *   (block $h1 (result P1)
     *     (block $h0 (result P0)
     *       inputs (try_table $label (type ..) (catch $tag $h0) (catch_all_ref $h1) (catch $tag $outer) body)
     *       (br $done))
     *     handler0 (br $done))
     *   handler1)
     * </pre>
     * Branches to {@code label} leave the try_table with its results; handlers may branch to {@code done}.
     */
    record TryTable(Label label, Label done, FuncSig sig, List<Expr> inputs, Body body, List<Clause> clauses) implements Expr {
        public TryTable {
            inputs = List.copyOf(inputs);
            clauses = List.copyOf(clauses);
        }

        public List<NumType> types() {
            return sig.results();
        }

        /** The clauses with handlers of their own, innermost landing block first. */
        public List<Clause> handled() {
            return clauses.stream().filter(c -> c.handler() != null).toList();
        }
    }

    /** A catch clause of a {@link TryTable}: {@code tag} is -1 for the catch_all kinds. */
    record Clause(CatchKind kind, int tag, Label target, Body handler) {
    }

    /** The four catch clauses, with their binary codes. */
    enum CatchKind {
        CATCH("catch", 0x00), CATCH_REF("catch_ref", 0x01), CATCH_ALL("catch_all", 0x02), CATCH_ALL_REF("catch_all_ref", 0x03);

        public final String wat;
        public final int code;

        CatchKind(String wat, int code) {
            this.wat = wat;
            this.code = code;
        }

        public boolean hasTag() {
            return this == CATCH || this == CATCH_REF;
        }

        public boolean hasRef() {
            return this == CATCH_REF || this == CATCH_ALL_REF;
        }

        /** What a branch of this clause carries: the tag's parameters when it names one, then the exnref when it keeps one. */
        public List<NumType> payload(List<NumType> tagParams) {
            List<NumType> out = new ArrayList<>(hasTag() ? tagParams : List.of());
            if (hasRef()) out.add(NumType.EXNREF);
            return List.copyOf(out);
        }
    }

    /**
     * Runs {@code call} (a {@link Call}, {@link CallIndirect}, {@link CallRef} or {@link TailCall}) only while the fuel global is
     * positive, spending one unit; otherwise pushes zeros:
     * {@code (if (result ..) (i32.gt_s (global.get fuel) (i32.const 0)) (then (global.set fuel (i32.sub ..)) call) (else zeros))}.
     */
    record FuelGuard(Expr call, int fuelGlobal) implements Expr {
        public List<NumType> types() {
            return call.types();
        }
    }

    /**
     * A float with its NaN bits made deterministic (through the function's scratch local of its
     * type): a NaN with the quiet bit set becomes the canonical NaN, one with it clear becomes
     * {@link NumType#signallingMarker()}. The quiet bit itself is deterministic: the spec makes every
     * NaN an arithmetic operation produces quiet, so a marker from arithmetic is a bug.
     * <pre>
     * (select (local.tee $s X)
     *         (select (nan:canonical) (marker) (quiet bit of (local.get $s)))
     *         (t.eq (local.get $s) (local.get $s)))
     * </pre>
     */
    record Canon(Expr value) implements Expr {
        public List<NumType> types() {
            return value.types();
        }
    }

    /**
     * A vector of floats ({@code laneBits} 32 or 64) with its lanes' NaN bits made deterministic,
     * as {@link Canon} does for one float (through the function's v128 scratch local): each NaN lane
     * becomes the canonical NaN when its quiet bit is set, the signalling marker when not.
     * <pre>
     * (v128.bitselect (v128.bitselect (canonical) (marker) (iNxM.ne (v128.and (local.tee $s X) (quiet bits)) (zero)))
     *                 (local.get $s)
     *                 (fNxM.ne (local.get $s) (local.get $s)))
     * </pre>
     */
    record VCanon(Expr value, int laneBits) implements Expr {
        public List<NumType> types() {
            return List.of(NumType.V128);
        }
    }

    /** Puts a new object of {@code shape} made from {@code values} ({@link GcSlots#newOperands}) in GC slot {@code slot}. */
    record GcNew(GcSlots.Shape shape, int slot, List<Expr> values) implements Expr {
        public GcNew {
            values = List.copyOf(values);
        }

        public List<NumType> types() {
            return none();
        }
    }

    /**
     * Read {@code op} ({@link GcSlots#readType}) of the object in GC slot {@code slot} cast to
     * {@code shape} (a cast failure or a null traps); {@code index} is the element's index or null.
     */
    record GcRead(GcSlots.Shape shape, int op, int slot, List<Expr> index) implements Expr {
        public GcRead {
            index = List.copyOf(index);
        }

        public List<NumType> types() {
            return List.of(GcSlots.readType(shape, op));
        }
    }

    /**
     * Write {@code op} ({@link GcSlots#writeOperands}) to the object in GC slot {@code slot} cast to
     * {@code shape}; an array copy reads from slot {@code source}.
     */
    record GcWrite(GcSlots.Shape shape, int op, int slot, int source, List<Expr> operands) implements Expr {
        public GcWrite {
            operands = List.copyOf(operands);
        }

        public List<NumType> types() {
            return none();
        }
    }

    /** One bit per heap type of {@link GcSlots#TESTED}: whether GC slot {@code slot}'s value is of it ({@code ref.test}). */
    record GcTest(int slot) implements Expr {
        public List<NumType> types() {
            return List.of(NumType.I32);
        }
    }

    /** Concatenated types of {@code es}. */
    static List<NumType> typesOf(List<Expr> es) {
        List<NumType> out = new ArrayList<>();
        for (Expr e : es) out.addAll(e.types());
        return out;
    }
}
