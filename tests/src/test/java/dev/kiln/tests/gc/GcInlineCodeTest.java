package dev.kiln.tests.gc;

import dev.kiln.backend.NativeBackend;
import dev.kiln.backend.aarch64.A64Backend;
import dev.kiln.backend.x64.X64Backend;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.tests.wasm3.Wat3;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Field and element access and casts are inline on both backends (issue 18: one load or store
 * plus a null check, arrays a bounds check against the header's length; ref.test/ref.cast/
 * br_on_cast a constant-time display check): functions made only of those never load the GC
 * helper's address from the VMContext (the only calls left are the trap routine's); so do
 * array.fill and array.copy of elements up to 8 bytes.
 */
class GcInlineCodeTest {
    private static final ValidatedModule MODULE = ValidatedModule.of(Wat3.compile("""
            (module
              (type $s (struct (field (mut i8)) (field (mut i16)) (field (mut i32)) (field (mut i64))
                               (field (mut f32)) (field (mut f64)) (field (mut v128)) (field (mut (ref null $s)))))
              (type $a (array (mut i8)))
              (type $v (array (mut v128)))
              (type $t (sub (struct)))
              (type $u (sub $t (struct)))
              (func (param (ref null $s) (ref null $a) (ref null $v) i32) (result i32)
                (struct.set $s 0 (local.get 0) (struct.get_s $s 0 (local.get 0)))
                (struct.set $s 1 (local.get 0) (struct.get_u $s 1 (local.get 0)))
                (struct.set $s 2 (local.get 0) (struct.get $s 2 (local.get 0)))
                (struct.set $s 3 (local.get 0) (struct.get $s 3 (local.get 0)))
                (struct.set $s 4 (local.get 0) (struct.get $s 4 (local.get 0)))
                (struct.set $s 5 (local.get 0) (struct.get $s 5 (local.get 0)))
                (struct.set $s 6 (local.get 0) (struct.get $s 6 (local.get 0)))
                (struct.set $s 7 (local.get 0) (struct.get $s 7 (local.get 0)))
                (array.set $a (local.get 1) (local.get 3) (array.get_u $a (local.get 1) (i32.const 0)))
                (array.set $v (local.get 2) (local.get 3) (array.get $v (local.get 2) (i32.const 1)))
                (i32.add (array.len (local.get 1)) (array.get_s $a (local.get 1) (local.get 3))))
              (func (param anyref) (result i32)
                (drop (ref.cast (ref null $u) (local.get 0)))
                (drop (ref.cast (ref struct) (local.get 0)))
                (drop (block $l (result (ref $t)) (br_on_cast $l anyref (ref $t) (local.get 0)) (drop) (ref.cast (ref $u) (ref.null any))))
                (i32.add (ref.test (ref $u) (local.get 0)) (ref.test (ref eq) (local.get 0))))
              (func (param i32 i64) (result anyref)
                (drop (struct.new $s (i32.const 1) (i32.const 2) (local.get 0) (local.get 1) (f32.const 1) (f64.const 2)
                  (v128.const i64x2 3 4) (struct.new_default $s)))
                (drop (array.new $a (local.get 0) (local.get 0)))
                (drop (array.new_default $a (local.get 0)))
                (array.new_fixed $a 3 (local.get 0) (i32.const 7) (local.get 0)))
              (func (param (ref null $a) i32)
                (array.fill $a (local.get 0) (local.get 1) (i32.const 7) (local.get 1)))
              (type $refs (array (mut (ref null $s))))
              (type $longs (array (mut i64)))
              (func (param (ref null $a) (ref null $refs) (ref null $longs) i32)
                (array.copy $a $a (local.get 0) (local.get 3) (local.get 0) (i32.const 1) (local.get 3))
                (array.copy $refs $refs (local.get 1) (i32.const 0) (local.get 1) (local.get 3) (i32.const 2))
                (array.copy $longs $longs (local.get 2) (local.get 3) (local.get 2) (local.get 3) (local.get 3)))
              (type $ft (func (param i32) (result i32)))
              (func (param funcref) (result i32)
                (drop (ref.cast (ref null $ft) (local.get 0)))
                (drop (block $l (result (ref $ft)) (br_on_cast $l funcref (ref $ft) (local.get 0)) (drop) (ref.cast (ref $ft) (ref.null func))))
                (i32.add (ref.test (ref $ft) (local.get 0)) (ref.test (ref func) (local.get 0)))))
            """));

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "aarch64"})
    void fieldAndElementAccessCallsNothing(String isa) {
        String listing = listing(isa, 0);
        assertFalse(listing.contains(helperSlot(isa)), "no call of the GC helper:\n" + listing);
        assertTrue(listing.contains(isa.equals("x86_64") ? "movsx" : "ldrsb"), "a sign-extending byte load:\n" + listing);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "aarch64"})
    void castsCallNothing(String isa) {
        for (int function : new int[] {1, 5}) { // 5: casts to a final function type, by the funcref descriptor's type id
            String listing = listing(isa, function);
            assertFalse(listing.contains(helperSlot(isa)), "no call of the GC helper:\n" + listing);
        }
    }

    /**
     * Each allocation bumps the execution state's cursor against its limit inline; the GC helper
     * is called once per allocation, on the slow path only (a runtime test counts the objects made
     * without it: {@code NativeGcAllocationTest}).
     */
    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "aarch64"})
    void allocationBumpsTheCursorAndCallsTheHelperOnlyOnTheSlowPath(String isa) {
        String listing = listing(isa, 2);
        String cursor = stateSlot(isa, ExecutionStateLayout.GC_CURSOR), limit = stateSlot(isa, ExecutionStateLayout.GC_LIMIT);
        assertEquals(5, count(listing, limit), "one limit check per allocation:\n" + listing);
        assertEquals(10, count(listing, cursor), "the cursor read and written per allocation:\n" + listing);
        assertEquals(5, count(listing, helperSlot(isa)), "one slow-path call per allocation:\n" + listing);
    }

    /** How an access to the execution state at {@code offset} reads (the state's address in R11 or X16). */
    private static String stateSlot(String isa, int offset) {
        return isa.equals("x86_64") ? String.format("[r11+0x%x]", offset) : "[x16, #" + offset + "]";
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "aarch64"})
    void arrayFillCallsNothing(String isa) {
        String listing = listing(isa, 3);
        assertFalse(listing.contains(helperSlot(isa)), "no call of the GC helper:\n" + listing);
    }

    /** array.copy of 1- and 8-byte elements (references too) is inline: no GC helper call, a {@code rep movsb} or copy loops. */
    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "aarch64"})
    void arrayCopyCallsNothing(String isa) {
        String listing = listing(isa, 4);
        assertFalse(listing.contains(helperSlot(isa)), "no call of the GC helper:\n" + listing);
        // x86-64: rep movsb forward; AArch64: a byte loop for the tail in each direction
        if (isa.equals("x86_64")) assertEquals(3, count(listing, "rep movs"), "one forward copy per array.copy:\n" + listing);
        else assertEquals(6, count(listing, "ldrb"), "two byte loops per array.copy:\n" + listing);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) n++;
        return n;
    }

    private static String listing(String isa, int function) {
        NativeBackend backend = isa.equals("x86_64") ? X64Backend.INSTANCE : A64Backend.INSTANCE;
        return String.join("\n", backend.compile(MODULE, SymbolNames.of(MODULE.module()), function, CodeOptions.DEFAULT, true).listing());
    }

    /** How a load of the GC helper's address from the VMContext reads in the listing. */
    private static String helperSlot(String isa) {
        int helper = VmContextLayout.helper(RuntimeHelper.GC);
        return isa.equals("x86_64") ? String.format("r15+0x%x]", helper) : "[x19, #" + helper + "]";
    }
}
