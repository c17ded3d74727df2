package dev.kiln.frontend.text;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.ExternKind;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.Validator;
import dev.kiln.frontend.WasmFeature;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatParserTest {
    private static byte[] wasm(String text) {
        return WatParser.parse(text, "test.wat").binary();
    }

    private static Module decode(String text) {
        return Validator.validate(Decoder.decode(wasm(text))).module();
    }

    /** The code bytes of function {@code index} (locals and instructions, final end included). */
    private static String body(String text, int index) {
        Module m = decode(text);
        var b = m.functionBodies().get(index);
        return HexFormat.of().formatHex(Arrays.copyOfRange(m.bytes(), b.codeStart(), b.codeEnd()));
    }

    private static TextFormatException error(String text) {
        return assertThrows(TextFormatException.class, () -> WatParser.parse(text, "bad.wat"));
    }

    @Test
    void exampleModuleEncodesAsTheShippedBinary() throws Exception {
        byte[] text = Files.readAllBytes(Path.of("..", "examples", "fib.wat"));
        assertArrayEquals(Files.readAllBytes(Path.of("..", "examples", "fib.wasm")), WatParser.parse(text, "fib.wat").binary());
    }

    @Test
    void foldedAndFlatInstructionsEncodeAlike() {
        String folded = "(module (func (param i32) (result i32) (i32.add (local.get 0) (i32.mul (i32.const 3) (local.get 0)))))";
        String flat = "(module (func (param i32) (result i32) local.get 0 i32.const 3 local.get 0 i32.mul i32.add))";
        assertEquals(body(flat, 0), body(folded, 0));
        String foldedIf = "(module (func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))))";
        String flatIf = "(module (func (param i32) (result i32) local.get 0 if (result i32) i32.const 1 else i32.const 2 end))";
        assertEquals(body(flatIf, 0), body(foldedIf, 0));
        assertEquals("200004400b0b", body("(module (func (param i32) (if (local.get 0) (then))))", 0));
    }

    @Test
    void labelsResolveToDepthsAndMayShadow() {
        String text = "(module (func (block $a (block $b (br $a) (br $b) (block $a (br $a) (br 2))))))";
        // block block br 1 br 0 block br 0 br 2 end end end
        assertEquals("02400240 0c01 0c00 0240 0c00 0c02 0b0b0b 0b".replace(" ", ""), body(text, 0));
    }

    @Test
    void symbolicIndicesResolveAcrossTheModule() {
        Module m = decode("""
                (module
                  (func $b (call $a (i32.const 1)))
                  (func $a (export "a") (param $x i32) (local $y i64) (drop (local.get $x)) (local.set $y (i64.const 1)))
                  (global $g (mut i32) (i32.const 0))
                  (func (global.set $g (global.get $g))))
                """);
        assertEquals(3, m.functionCount());
        assertEquals("a", m.exports().get(0).name());
        assertEquals(1, m.exports().get(0).index());
        assertEquals("b", m.names().functionName(0));
        assertEquals("x", m.names().localName(1, 0));
        assertEquals("y", m.names().localName(1, 1));
    }

    @Test
    void inlineImportsExportsDataAndElements() {
        Module m = decode("""
                (module
                  (func $imp (import "env" "f") (param i32))
                  (global (import "env" "g") i32)
                  (memory (export "mem") (data "hello" "!"))
                  (table $t funcref (elem $imp $imp)))
                """);
        assertEquals(2, m.imports().size());
        assertEquals(ExternKind.GLOBAL, m.imports().get(1).kind());
        assertEquals(1, m.memoryType(0).limits().min());
        assertEquals(1, m.memoryType(0).limits().max());
        assertEquals(6, m.data().get(0).dataLength());
        assertEquals(2, m.tableType(0).limits().min());
        assertEquals(2, m.elements().get(0).items().size());
        assertEquals("mem", m.exports().get(0).name());
    }

    @Test
    void typeUsesReuseOrAddTypesInOrder() {
        Module m = decode("""
                (module
                  (type $v (func))
                  (func (param i32) (result i32) (local.get 0) (block (param i32) (result i32 i32) (unreachable)) (unreachable))
                  (func)
                  (func (type $v))
                  (func (param i32) (result i32) (local.get 0)))
                """);
        assertEquals(3, m.types().size(), "(func) reuses $v; the two new signatures are added once each, in order");
        assertEquals(1, m.functionTypeIndex(0));
        assertEquals(0, m.functionTypeIndex(1));
        assertEquals(1, m.functionTypeIndex(3));
        assertEquals(2, m.funcType(2).resultCount());
    }

    @Test
    void typeUsesFollowTheSpecificationOrWasmTools() {
        String text = "(module (type $t (sub (func))) (func))";
        // the specification: a type use matches only a final type, so (func) gets a type of its own
        String spec = HexFormat.of().formatHex(WatParser.parse(text, "t.wat").binary());
        assertTrue(spec.contains("01" + "09" + "02" + "50006000" + "00" + "600000" + "03020101"), spec);
        // wasm-tools: the first function type outside a rec group with that signature, final or not
        String tools = HexFormat.of().formatHex(WatParser.parse(text.getBytes(), "t.wat", WatParser.Options.WASM_TOOLS).binary());
        assertTrue(tools.contains("0106015000600000" + "03020100"), tools);
    }

    @Test
    void exceptionsLegacyAndNew() {
        WatParser.Module m = WatParser.parse("""
                (module
                  (tag $e (param i32))
                  (func (result i32)
                    (try_table (result i32) (catch $e 0) (i32.const 1)))
                  (func
                    (try (do (throw $e (i32.const 1))) (catch $e (drop)) (catch_all))
                    try $l nop delegate 0))
                """, "eh.wat");
        assertEquals(Set.of(WasmFeature.BASE, WasmFeature.EXCEPTIONS, WasmFeature.LEGACY_EXCEPTIONS), m.features());
        String hex = HexFormat.of().formatHex(m.binary());
        // try_table (result i32) 1 catch: catch tag 0 label 0; i32.const 1; end
        assertTrue(hex.contains("1f7f0100000041010b"), hex);
        // try; i32.const 1; throw 0; catch 0; drop; catch_all; end; try; nop; delegate 0
        assertTrue(hex.contains("06404101080007001a19" + "0b" + "0640" + "01" + "1800"), hex);
    }

    @Test
    void gcTypesAndInstructions() {
        WatParser.Module m = WatParser.parse("""
                (module
                  (rec (type $p (sub (struct (field $x (mut i32)) (field $y i64))))
                       (type $q (sub final $p (struct (field $x (mut i32)) (field $y i64) (field f32)))))
                  (type $a (array (mut i8)))
                  (func (param (ref null $q)) (result i32)
                    (struct.get $q $x (local.get 0)))
                  (func (result anyref) (ref.cast (ref null $p) (ref.null none))))
                """, "gc.wat");
        assertTrue(m.features().contains(WasmFeature.GC));
        String hex = HexFormat.of().formatHex(m.binary());
        // rec 2: sub (no final) 0 supers, struct 2 fields; sub final 1 super 0, struct 3 fields
        assertTrue(hex.contains("4e02" + "5000" + "5f02" + "7f01" + "7e00" + "4f0100" + "5f03"), hex);
        // struct.get $q $x = fb 02 01 00; ref.cast (ref null $p) = fb 17 00
        assertTrue(hex.contains("2000fb02" + "0100" + "0b"), hex);
        assertTrue(hex.contains("d071fb17000b"), hex);
    }

    @Test
    void memory64AndMultiMemory() {
        WatParser.Module m = WatParser.parse("""
                (module (memory $a i64 1) (memory $b 1)
                  (func (drop (i32.load $b offset=8 align=1 (i32.const 0)))
                        (drop (i64.load offset=0x1_0000_0000 (i64.const 0)))))
                """, "m.wat");
        assertTrue(m.features().containsAll(Set.of(WasmFeature.MEMORY64, WasmFeature.MULTI_MEMORY)));
        String hex = HexFormat.of().formatHex(m.binary());
        assertTrue(hex.contains("0505020401" + "0001"), hex); // two memories: i64 flags 4 min 1, then i32 min 1
        assertTrue(hex.contains("28" + "40" + "01" + "08"), hex); // i32.load: align 0 | memory bit, memory 1, offset 8
        assertTrue(hex.contains("29" + "03" + "8080808010"), hex); // i64.load: align 3, u64 offset 2^32
    }

    @Test
    void customSectionsAndNames() {
        byte[] b = wasm("""
                (module $m (@custom "first" (before first) "1") (@custom "x" "\\00\\01")
                  (func $f (@name "effe")))
                """);
        Module m = Decoder.decode(b);
        assertEquals("first", m.customSections().get(0).name());
        assertEquals("x", m.customSections().get(1).name());
        assertEquals("name", m.customSections().get(2).name());
        assertEquals("m", m.names().moduleName());
        assertEquals("effe", m.names().functionName(0));
    }

    @Test
    void errorsNameFileLineAndColumn() {
        assertEquals("bad.wat:2:13: unknown label $x", error("(module\n  (func (br $x)))").getMessage());
        assertEquals("bad.wat:1:25: duplicate function $f", error("(module (func $f) (func $f))").getMessage());
        assertEquals("bad.wat:1:28: mismatching label: $b", error("(module (func block $a end $b))").getMessage());
        assertEquals("bad.wat:1:17: import after function definition", error("(module (func) (import \"a\" \"b\" (func)))").getMessage());
        assertEquals("bad.wat:1:35: inline function type does not match explicit type",
                error("(module (type (func)) (func (type 0) (param i32)))").getMessage());
        assertEquals("bad.wat:1:36: alignment must be a power of two",
                error("(module (memory 1) (func (i32.load align=3 (i32.const 0)) drop))").getMessage());
        assertEquals("bad.wat:1:25: i32 constant out of range", error("(module (func i32.const 4294967296 drop))").getMessage());
        assertEquals("bad.wat:1:15: expected an instruction, found 'i32.frob'", error("(module (func i32.frob))").getMessage());
        assertEquals("bad.wat:1:9: unclosed '('", error("(module (func").getMessage());
        assertEquals("bad.wat:1:15: misplaced @custom annotation", error("(module (func (@custom \"x\")))").getMessage());
    }

    @Test
    void deepNestingIsAnErrorNotACrash() {
        String deep = "(module (func " + "(block ".repeat(20_000) + ")".repeat(20_000) + "))";
        assertTrue(error(deep).reason().contains("nested"));
    }
}
