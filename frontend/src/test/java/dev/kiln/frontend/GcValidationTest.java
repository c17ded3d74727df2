package dev.kiln.frontend;

import dev.kiln.frontend.text.WatParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GC instructions decode and validate; each error names the rule and carries the instruction's byte offset. */
class GcValidationTest {
    private static final String TYPES = """
            (type $p (struct (field i32) (field (mut i8))))
            (type $a (array (mut i16)))
            (type $c (array i64))
            (type $s (sub (struct (field i32))))
            (type $t (sub $s (struct (field i32) (field f64))))
            """;

    private static ValidatedModule validate(String body) {
        return Validator.validate(Decoder.decode(WatParser.parse("(module " + TYPES + body + ")", "gc.wat").binary()));
    }

    private static InvalidModuleException invalid(String body) {
        return assertThrows(InvalidModuleException.class, () -> validate(body));
    }

    @Test
    void everyGcInstructionValidates() {
        validate("""
                (data $d "\\01\\02")
                (elem $e i31ref (item (ref.i31 (i32.const 1))))
                (global $g (ref $p) (struct.new $p (i32.const 1) (i32.const 2)))
                (global $h (ref $c) (array.new_fixed $c 2 (i64.const 1) (i64.const 2)))
                (func (param $x (ref null $p)) (param $y (ref null $a)) (param $z anyref) (result i32)
                  (drop (struct.new_default $p))
                  (drop (struct.get $p 0 (local.get $x)))
                  (drop (struct.get_s $p 1 (local.get $x)))
                  (struct.set $p 1 (local.get $x) (i32.const 3))
                  (drop (array.new $a (i32.const 1) (i32.const 2)))
                  (drop (array.new_data $a $d (i32.const 0) (i32.const 1)))
                  (drop (array.get_u $a (local.get $y) (i32.const 0)))
                  (array.fill $a (local.get $y) (i32.const 0) (i32.const 1) (i32.const 1))
                  (array.copy $a $a (local.get $y) (i32.const 0) (local.get $y) (i32.const 0) (i32.const 1))
                  (array.init_data $a $d (local.get $y) (i32.const 0) (i32.const 0) (i32.const 1))
                  (drop (array.len (local.get $y)))
                  (drop (ref.test (ref $t) (local.get $z)))
                  (drop (ref.cast (ref null $s) (local.get $z)))
                  (drop (i31.get_u (ref.cast i31ref (local.get $z))))
                  (drop (extern.convert_any (local.get $z)))
                  (drop (block (result anyref) (br_on_cast 0 anyref (ref $s) (local.get $z))))
                  (ref.eq (ref.i31 (i32.const 1)) (local.get $x)))
                """);
    }

    @Test
    void packedFieldsNeedTheSignedOrUnsignedForm() {
        InvalidModuleException e = invalid("(func (param (ref $p)) (result i32) (struct.get $p 1 (local.get 0)))");
        assertTrue(e.getMessage().contains("packed"), e.getMessage());
        assertTrue(e.offset() > 0);
        invalid("(func (param (ref $p)) (result i32) (struct.get_s $p 0 (local.get 0)))");
    }

    @Test
    void immutableFieldsAndArraysCannotBeSet() {
        assertTrue(invalid("(func (param (ref $p)) (struct.set $p 0 (local.get 0) (i32.const 1)))").getMessage().contains("immutable"));
        invalid("(func (param (ref $c)) (array.set $c (local.get 0) (i32.const 0) (i64.const 1)))");
        invalid("(func (param (ref $c)) (array.fill $c (local.get 0) (i32.const 0) (i64.const 1) (i32.const 1)))");
    }

    @Test
    void indicesAreChecked() {
        assertTrue(invalid("(func (drop (struct.new_default 9)))").getMessage().contains("unknown type 9"));
        assertTrue(invalid("(func (param (ref $p)) (drop (struct.get $p 5 (local.get 0))))").getMessage().contains("unknown field 5"));
        assertTrue(invalid("(func (drop (array.new_default $p (i32.const 1))))").getMessage().contains("not an array type"));
    }

    @Test
    void castsStayInOneHierarchyAndBranchesFitTheirLabel() {
        invalid("(func (param funcref) (drop (ref.cast (ref $s) (local.get 0))))");
        invalid("(func (param anyref) (result i32) (drop (block (result i31ref) (br_on_cast 0 anyref (ref $s) (local.get 0)))) (i32.const 0))");
        invalid("(func (param (ref $s)) (drop (block (result anyref) (br_on_cast 0 (ref $s) anyref (local.get 0)))))");
    }

    @Test
    void constantExpressionsMayAllocateButNotRead() {
        validate("(global (ref $a) (array.new_default $a (i32.const 3)))");
        InvalidModuleException e = invalid("(global i32 (struct.get $p 0 (struct.new $p (i32.const 1) (i32.const 2))))");
        assertTrue(e.getMessage().contains("constant expression required"), e.getMessage());
    }

    @Test
    void arrayNewFixedHasALimit() {
        StringBuilder sb = new StringBuilder("(func (drop (array.new_fixed $c 10001");
        for (int i = 0; i < 10_001; i++) sb.append(" (i64.const 0)");
        InvalidModuleException e = invalid(sb.append(")))").toString());
        assertEquals(true, e.getMessage().contains("array.new_fixed"), e.getMessage());
    }
}
