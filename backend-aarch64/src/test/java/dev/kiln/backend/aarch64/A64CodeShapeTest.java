package dev.kiln.backend.aarch64;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shape of scalar code the AArch64 lowering picks, compared instruction by instruction (register copies left out). */
class A64CodeShapeTest {
    /** Function 0's body ({@link A64BodyListing}) with general registers as {@code r} and scalar float ones as {@code f}. */
    private static List<String> body(String wat) {
        return A64BodyListing.of(wat).stream()
                .map(t -> t.replaceAll("\\b[xw]\\d+\\b", "r").replaceAll("\\b[sd]\\d+", "f")).toList();
    }

    /** A select of a comparison used only by it: csel on the comparison's flags, no cset and no second compare. */
    @Test
    void aSelectOfACompareIsOneCselOnTheComparisonsFlags() {
        assertEquals(List.of("cmp r, r", "csel r, r, r, hi"), body("""
                (module (func (param i32 i32 i32 i32) (result i32)
                  (select (local.get 2) (local.get 3) (i32.gt_u (local.get 0) (local.get 1)))))
                """));
        assertEquals(List.of("cmp r, #0x64", "csel r, r, r, lt"), body("""
                (module (func (param i64 i64 i64) (result i64)
                  (select (local.get 1) (local.get 2) (i64.lt_s (local.get 0) (i64.const 100)))))
                """));
        assertEquals(List.of("fcmp f, f", "csel r, r, r, mi"), body("""
                (module (func (param f64 f64 i32 i32) (result i32)
                  (select (local.get 2) (local.get 3) (f64.lt (local.get 0) (local.get 1)))))
                """));
        assertEquals(List.of("fcmp f, f", "fcsel f, f, f, ne"), body("""
                (module (func (param f32 f32 f64 f64) (result f64)
                  (select (local.get 2) (local.get 3) (f32.ne (local.get 0) (local.get 1)))))
                """));
    }
}
