package dev.kiln.interpreter;

import dev.kiln.ir.vector.VectorNumerics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.InvokeInstruction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps every dispatch method far below HotSpot's limits, read from the class files. HotSpot does
 * not JIT-compile a method of more than 8000 bytes of bytecode at all ({@code HugeMethodLimit}),
 * and C2 counts a method's own bytecode against the same 8000-byte budget for everything it
 * inlines into it ({@code DesiredMethodLimit}): a dispatch loop near 8000 bytes gets no helper
 * inlined, and which calls do get inlined then depends on the order they were profiled in. At
 * {@link #LIMIT} at least 3000 bytes are left for inlining. A family that outgrows the limit is
 * split in two (see {@link Families}).
 */
class DispatchSizeTest {
    /** Bytes of bytecode any dispatch method may have. */
    static final int LIMIT = 5000;

    /** The dispatch methods: the loop, the family router and each family's method. */
    private static final Map<Class<?>, List<String>> DISPATCH = Map.of(
            Interpreter.class, List.of("run", "loop"),
            Families.class, List.of("pure", "effectful"),
            IntegerOps.class, List.of("run"),
            FloatOps.class, List.of("run"),
            MemoryOps.class, List.of("run"),
            CallOps.class, List.of("run", "call", "callIndirect"),
            SimdExecution.class, List.of("run"),
            VectorNumerics.class, List.of("eval"),
            Wasm3Ops.class, List.of("run", "callOrTailCall", "call", "tailCall"),
            GcOps.class, List.of("run"));

    @Test
    void everyDispatchMethodIsFarBelowHotSpotsLimit() throws IOException {
        List<String> over = new ArrayList<>();
        for (var e : DISPATCH.entrySet()) {
            ClassModel model = model(e.getKey());
            for (String name : e.getValue()) {
                int size = codeSize(model, name);
                if (size > LIMIT) over.add(e.getKey().getSimpleName() + "." + name + ": " + size + " bytes");
            }
        }
        if (!over.isEmpty()) fail("dispatch methods over " + LIMIT + " bytes of bytecode: " + over);
    }

    @Test
    void everyFamilyIsReachedAndMeasured() throws IOException {
        // a family class the router reaches must be in DISPATCH, or the test above would not see it
        ClassModel families = model(Families.class);
        for (MethodModel m : families.methods()) {
            if (!m.methodName().equalsString("pure") && !m.methodName().equalsString("effectful")) continue;
            m.findAttribute(Attributes.code()).orElseThrow().elementList().forEach(el -> {
                if (el instanceof InvokeInstruction inv) {
                    String owner = inv.owner().asInternalName();
                    boolean measured = DISPATCH.keySet().stream().anyMatch(c -> c.getName().replace('.', '/').equals(owner));
                    assertTrue(measured, owner + "." + inv.name().stringValue() + " is reached from Families but not measured here");
                }
            });
        }
    }

    /**
     * The dispatch loop's only backward branches go to its one loop head. HotSpot compiles a method
     * that runs long in one invocation for on-stack replacement at the loop whose back-edge counter
     * overflows first; an inner loop (say, one instruction's argument copy) then becomes the entry
     * of the whole dispatch loop's compiled code, which measured 25% slower on fib than the same
     * code entered at its head. Such loops go in methods of their own.
     */
    @Test
    void theDispatchLoopHasNoInnerLoop() throws IOException {
        assertEquals(1, backwardBranchTargets(model(Interpreter.class), "loop"),
                "Interpreter.loop has a loop besides its dispatch loop");
    }

    private static int backwardBranchTargets(ClassModel model, String name) {
        MethodModel m = model.methods().stream().filter(x -> x.methodName().equalsString(name)).findFirst().orElseThrow();
        Set<Label> seen = new HashSet<>();
        Set<Label> backward = new HashSet<>();
        for (CodeElement el : m.findAttribute(Attributes.code()).orElseThrow().elementList()) {
            if (el instanceof LabelTarget lt) seen.add(lt.label());
            if (el instanceof BranchInstruction b && seen.contains(b.target())) backward.add(b.target());
        }
        return backward.size();
    }

    /**
     * A call and a return save and restore the caller's pc and frame pointer through one slot of
     * the value stack (the callee's link, {@link InterpreterStack#link}), not through arrays of
     * their own: each such array is one more value C2 keeps live across the whole loop (in a
     * register or a stack slot) and one more bounds check in the CALL and RETURN arms.
     */
    @Test
    void theDispatchLoopKeepsNoFrameArrayButTheFunctions() throws IOException {
        MethodModel loop = model(Interpreter.class).methods().stream().filter(x -> x.methodName().equalsString("loop")).findFirst().orElseThrow();
        Set<String> arrays = new TreeSet<>();
        for (CodeElement el : loop.findAttribute(Attributes.code()).orElseThrow().elementList()) {
            if (el instanceof FieldInstruction f && f.owner().asInternalName().equals("dev/kiln/interpreter/InterpreterStack")
                    && f.typeSymbol().isArray()) arrays.add(f.name().stringValue());
        }
        assertEquals(Set.of("frameFunction", "slots"), arrays, "InterpreterStack arrays the dispatch loop reads or writes");
    }

    @Test
    void theLimitCatchesAnOversizedMethod() throws IOException {
        // the measurement itself: the loop is thousands of bytes, a tiny accessor a few
        assertTrue(codeSize(model(Interpreter.class), "loop") > 2000);
        assertTrue(codeSize(model(Op.class), "name") < 20);
    }

    private static ClassModel model(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return ClassFile.of().parse(in.readAllBytes());
        }
    }

    /** Bytes of bytecode of the largest method named {@code name} (overloads included). */
    private static int codeSize(ClassModel model, String name) {
        int size = -1;
        for (MethodModel m : model.methods()) {
            if (!m.methodName().equalsString(name)) continue;
            size = Math.max(size, m.findAttribute(Attributes.code()).orElseThrow().codeLength());
        }
        if (size < 0) throw new AssertionError(model.thisClass().asInternalName() + " has no method " + name);
        return size;
    }
}
