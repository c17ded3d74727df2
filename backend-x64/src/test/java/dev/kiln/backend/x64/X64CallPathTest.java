package dev.kiln.backend.x64;

import dev.kiln.frontend.ValType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.RecursionModules;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.SymbolNames;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The code of calls under kiln's internal convention (docs/design-changes.md, "The internal calling
 * convention"): five GPRs survive a call, a call through a table to this instance reloads and
 * checks nothing afterwards, and an interruption check runs at most once per loop iteration.
 */
class X64CallPathTest {
    private static List<String> listing(String wat, int function) {
        ValidatedModule vm = ValidatedModule.of(Wat.compile(wat));
        return X64Backend.INSTANCE.compile(vm, SymbolNames.of(vm.module()), function, CodeOptions.DEFAULT, true).listing();
    }

    private static long count(List<String> listing, String text) {
        return listing.stream().filter(l -> l.contains(text)).count();
    }

    /** Five products of the parameters live across a call, then summed (the callee has a loop, so it is not inlined). */
    private static final String FIVE_ACROSS_A_CALL = """
            (module
              (memory 1)
              (func $g (param i32) (result i32) (loop) (i32.add (i32.load (local.get 0)) (i32.const 1)))
              (func (param i32 i32 i32 i32 i32) (result i32) (local $r i32)
                (local.set 0 (i32.mul (local.get 0) (i32.const 3)))
                (local.set 1 (i32.mul (local.get 1) (i32.const 5)))
                (local.set 2 (i32.mul (local.get 2) (i32.const 7)))
                (local.set 3 (i32.mul (local.get 3) (i32.const 9)))
                (local.set 4 (i32.mul (local.get 4) (i32.const 11)))
                (local.set $r (call $g (local.get 0)))
                (i32.add (local.get $r) (i32.add (local.get 0) (i32.add (local.get 1)
                  (i32.add (local.get 2) (i32.add (local.get 3) (local.get 4))))))))
            """;

    @Test
    void fiveValuesLiveAcrossACallStayInCalleeSavedRegisters() {
        List<String> l = listing(FIVE_ACROSS_A_CALL, 1);
        String all = String.join("\n", l);
        assertFalse(all.contains("PTR [rbp-"), "no value goes to a stack slot:\n" + all);
        assertTrue(all.contains("push   r9") && all.contains("push   r10"), "R9 and R10 are saved by the function that uses them:\n" + all);
    }

    @Test
    void referencesNeverLiveAcrossACallInTheRegistersTheCConventionClobbers() {
        for (Gpr g : X64CallingConvention.KEPT_FROM_C) {
            int r = X64RegisterFile.number(g);
            assertFalse(X64RegisterFile.INSTANCE.isClobberedByCalls(r, ValType.I64), g + " keeps an i64");
            assertTrue(X64RegisterFile.INSTANCE.isClobberedByCalls(r, ValType.EXTERNREF), g + " keeps no reference");
        }
        assertEquals(0, X64CallingConvention.KEPT_FROM_C.length % 2, "an even number of pushes keeps rsp aligned");
    }

    @Test
    void helperCallsKeepR9AndR10() {
        List<String> l = listing("""
                (module (memory 1)
                  (func (param i32) (result i32) (drop (memory.grow (local.get 0))) (local.get 0)))
                """, 0);
        String all = String.join("\n", l);
        int call = indexOf(l, "call   QWORD PTR [r15+");
        assertTrue(l.get(call - 4).contains("push   r9") && l.get(call - 3).contains("push   r10"), all);
        assertTrue(l.get(call + 1).contains("pop    r10") && l.get(call + 2).contains("pop    r9"), all);
    }

    private static int indexOf(List<String> listing, String text) {
        for (int k = 0; k < listing.size(); k++) if (listing.get(k).contains(text)) return k;
        throw new AssertionError("no " + text + " in\n" + String.join("\n", listing));
    }

    private static final String DISPATCH = """
            (module
              (type $bin (func (param i32 i32) (result i32)))
              (table 2 funcref)
              (elem (i32.const 0) $add $sub)
              (func $add (type $bin) (i32.add (local.get 0) (local.get 1)))
              (func $sub (type $bin) (i32.sub (local.get 0) (local.get 1)))
              (func (param i32 i32 i32) (result i32)
                (call_indirect (type $bin) (local.get 0) (local.get 1) (local.get 2))))
            """;

    @Test
    void aCallThroughATableToThisInstanceReloadsAndChecksNothing() {
        List<String> l = listing(DISPATCH, 2);
        String all = String.join("\n", l);
        int call = indexOf(l, "call   QWORD PTR [rax]");
        assertTrue(l.get(call - 2).contains("cmp    r15,QWORD PTR [rax+0x8]"), "the same-instance test before the call:\n" + all);
        String after = l.get(call + 1);
        assertFalse(after.contains("r15") || after.contains("r14"), "no pinned register reloaded after it:\n" + all);
        assertEquals(0, count(l, "mov    eax,eax"), "an i32 result comes back zero-extended:\n" + all);
        assertEquals(2, count(l, "call   QWORD PTR [rax]"), "the other instance's call out of line:\n" + all);
        int other = indexOf(l.subList(call + 1, l.size()), "call   QWORD PTR [rax]") + call + 1;
        assertTrue(l.get(other + 1).contains("mov    r15,QWORD PTR [rbp-0x8]"), "restored after the other instance's call:\n" + all);
    }

    @Test
    void aFunctionWithoutCallsChecksNoInterruptionAtItsEntry() {
        List<String> leaf = listing(DISPATCH, 0);
        assertEquals(0, count(leaf, "trap_interrupted"), String.join("\n", leaf));
        List<String> caller = listing(DISPATCH, 2);
        assertEquals(1, count(caller, "trap_interrupted"), "a function with calls checks at its entry:\n" + String.join("\n", caller));
    }

    @Test
    void nestedLoopHeadersCheckOncePerIteration() {
        // the outer header jumps straight to the inner one: every cycle through it passes the inner check
        List<String> l = listing("""
                (module (memory 1)
                  (func (param i32) (result i32)
                    (loop $outer
                      (loop $inner
                        (i32.store (local.get 0) (i32.add (i32.load (local.get 0)) (i32.const 1)))
                        (br_if $inner (i32.load offset=4 (local.get 0))))
                      (br_if $outer (i32.load offset=8 (local.get 0))))
                    (i32.load (local.get 0))))
                """, 0);
        assertEquals(1, count(l, "trap_interrupted"), String.join("\n", l));
    }

    @Test
    void aBaseCaseReturnsBeforeThePrologueSavesAnything() {
        // the parameters reach the loop as edge arguments, so they stay where they arrive until the entry's branch
        List<String> l = listing("""
                (module (func $sum (param $n i32) (param $acc i32) (result i32)
                  (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
                  (loop $l
                    (local.set $acc (i32.add (local.get $acc) (call $sum (i32.shr_u (local.get $n) (i32.const 1)) (i32.const 0))))
                    (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                  (local.get $acc)))
                """, 0);
        String all = String.join("\n", l);
        assertTrue(indexOf(l, "ret") < indexOf(l, "push"), "the base case returns before any push:\n" + all);
        assertTrue(l.get(indexOf(l, "ret") - 1).contains("mov    rax,rsi"), all);
        List<String> five = listing(FIVE_ACROSS_A_CALL, 1);
        assertTrue(five.get(0).contains("push   rbp"), "an entry that computes has no early return:\n" + String.join("\n", five));
    }

    @Test
    void aDeadEndComputedAfterTheEntryReturnsBeforeThePrologueToo() {
        List<String> l = listing(RecursionModules.NQUEENS, 0);
        String all = String.join("\n", l);
        List<String> beforePush = l.subList(0, indexOf(l, "push"));
        assertEquals(2, count(beforePush, "ret"), "the solution and the dead end return before any push:\n" + all);
        assertEquals(1, count(beforePush, "xor    eax,eax"), "the dead end's 0:\n" + all);
        assertEquals(1, count(l, "cmp    edi,ecx"), "the entry's comparison runs once, before the prologue:\n" + all);
        assertEquals(0, count(l.subList(indexOf(l, "push"), l.size()), "xor    eax,eax"), "no copy of the dead end after it:\n" + all);
        assertEquals(1, count(l, "cmp    DWORD PTR [r15+0x38],0x0"), "the only call is after the loop header's check: none at the entry:\n" + all);
    }
}
