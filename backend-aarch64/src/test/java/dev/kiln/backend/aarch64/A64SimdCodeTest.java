package dev.kiln.backend.aarch64;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The code the NEON lowering picks: the one permute that matches a shuffle (dup, rev64, ext,
 * zip/uzp/trn of any element size, ins of one element), tbl otherwise, one tbl for swizzle, one
 * instruction where NEON has Wasm's semantics (fmin/fmax, fcvtzs, sqrdmulh), movi for constants
 * that encode, and short reductions. Compared by mnemonic, register copies left out (where
 * parameters land is the allocator's business).
 */
class A64SimdCodeTest {
    /** The mnemonics of function 0's body ({@link A64BodyListing}) up to its first unconditional branch. */
    private static List<String> ops(String wat) {
        List<String> out = new ArrayList<>();
        for (String text : A64BodyListing.of(wat)) {
            String mnemonic = text.split("\\s+")[0];
            if (mnemonic.equals("b")) break;
            out.add(mnemonic);
        }
        return out;
    }

    private static String binary(String op) {
        return "(module (func (param v128 v128) (result v128) (" + op + " (local.get 0) (local.get 1))))";
    }

    private static List<String> shuffle(String lanes) {
        return ops(binary("i8x16.shuffle " + lanes));
    }

    @Test
    void shufflesPickTheOnePermuteThatMatches() {
        assertEquals(List.of(), shuffle("0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15"));
        assertEquals(List.of("dup"), shuffle("4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7"));
        assertEquals(List.of("rev64"), shuffle("6 7 4 5 2 3 0 1 14 15 12 13 10 11 8 9"));
        assertEquals(List.of("ext"), shuffle("3 4 5 6 7 8 9 10 11 12 13 14 15 0 1 2"));
        assertEquals(List.of("zip1"), shuffle("0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23"));
        assertEquals(List.of("zip2"), shuffle("24 25 8 9 26 27 10 11 28 29 12 13 30 31 14 15"));
        assertEquals(List.of("uzp1"), shuffle("0 1 4 5 8 9 12 13 16 17 20 21 24 25 28 29"));
        assertEquals(List.of("trn2"), shuffle("4 5 6 7 20 21 22 23 12 13 14 15 28 29 30 31"));
        assertEquals(List.of("ext"), shuffle("5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"));
        assertEquals(List.of("mov"), shuffle("0 1 2 3 4 5 6 7 24 25 26 27 28 29 30 31")); // ins d.d[1], b.d[1]
        assertEquals(List.of("ldr", "tbl"), shuffle("0 5 5 3 1 1 2 2 9 9 9 15 0 6 3 3"));
        assertEquals(List.of("ldr", "tbl"), shuffle("0 17 5 30 1 1 2 20 9 9 9 31 0 16 3 3"));
    }

    @Test
    void instructionsWithWasmSemanticsAreOneInstruction() {
        assertEquals(List.of("tbl"), ops(binary("i8x16.swizzle")));
        assertEquals(List.of("fmin"), ops(binary("f32x4.min")));
        assertEquals(List.of("fmax"), ops(binary("f64x2.max")));
        assertEquals(List.of("sqrdmulh"), ops(binary("i16x8.q15mulr_sat_s")));
        assertEquals(List.of("cnt"), ops("(module (func (param v128) (result v128) (i8x16.popcnt (local.get 0))))"));
        assertEquals(List.of("fcvtzs"), ops("(module (func (param v128) (result v128) (i32x4.trunc_sat_f32x4_s (local.get 0))))"));
    }

    @Test
    void constantsUseMoviWhereALanePatternEncodes() {
        assertEquals(List.of("movi"), ops("(module (func (result v128) (v128.const i64x2 0 0)))"));
        assertEquals(List.of("movi"), ops("(module (func (result v128) (v128.const i32x4 -1 -1 -1 -1)))"));
        assertEquals(List.of("movi"), ops("(module (func (result v128) (v128.const i16x8 0x1200 0x1200 0x1200 0x1200 0x1200 0x1200 0x1200 0x1200)))"));
        assertEquals(List.of("ldr"), ops("(module (func (result v128) (v128.const i32x4 1 2 3 4)))"));
    }

    @Test
    void reductionsAreShort() {
        assertEquals(List.of("umaxp", "fmov", "cmp", "cset"), ops("(module (func (param v128) (result i32) (v128.any_true (local.get 0))))"));
        assertEquals(List.of("uminv", "mov", "cmp", "cset"), ops("(module (func (param v128) (result i32) (i32x4.all_true (local.get 0))))"));
        assertEquals(List.of("sshr", "ldr", "and", "addv", "mov"), ops("(module (func (param v128) (result i32) (i32x4.bitmask (local.get 0))))"));
    }

    @Test
    void shiftsByConstantsAreImmediates() {
        assertEquals(List.of("shl"), ops("(module (func (param v128) (result v128) (i8x16.shl (local.get 0) (i32.const 10))))"));
        assertEquals(List.of("sshr"), ops("(module (func (param v128) (result v128) (i64x2.shr_s (local.get 0) (i32.const 3))))"));
    }
}
