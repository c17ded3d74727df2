package dev.kiln.frontend;

import dev.kiln.frontend.testing.ModuleBytes;
import dev.kiln.frontend.testing.Wat;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidatorTest {
    private static ValidatedModule validate(String wat) {
        return Validator.validate(Decoder.decode(Wat.compile(wat)));
    }

    private static InvalidModuleException invalid(String wat) {
        return assertThrows(InvalidModuleException.class, () -> validate(wat));
    }

    @Test
    void typeMismatchNamesTheInstructionTypesAndOffset() {
        InvalidModuleException e = invalid("(module (func (result i32) (i32.add (i32.const 1) (f64.const 2))))");
        assertEquals("type mismatch in i32.add: expected i32, found f64", e.reason());
        assertTrue(e.offset() > 8);
    }

    @Test
    void recordsMaxStackHeightAndDepth() {
        ValidatedModule vm = validate("""
                (module (func (result i32)
                  (block (result i32)
                    (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 3))))))
                """);
        FunctionInfo info = vm.functionInfo(0);
        assertEquals(3, info.maxStackHeight());
        assertEquals(2, info.maxControlDepth());
    }

    @Test
    void unreachableCodeIsPolymorphic() {
        validate("(module (func (result i32) (unreachable) (i32.add)))");
        validate("(module (func (result f64) (block (br 0)) (return (f64.const 1)) (f64.add)))");
        invalid("(module (func (result i32) (unreachable) (i64.const 0) (i32.add)))");
    }

    @Test
    void refFuncMustBeDeclared() {
        invalid("(module (func $f) (func (drop (ref.func $f))))");
        validate("(module (func $f) (elem declare func $f) (func (drop (ref.func $f))))");
        validate("(module (func $f (export \"f\")) (func (drop (ref.func $f))))");
    }

    @Test
    void constantExpressionsSeeEarlierImmutableGlobals() {
        validate("(module (global i32 (i32.const 0)) (global i32 (global.get 0)))");
        invalid("(module (global i32 (global.get 1)) (global i32 (i32.const 0)))");
        invalid("(module (global i32 (global.get 0)))");
        invalid("(module (import \"a\" \"b\" (global (mut i32))) (global i32 (global.get 0)))");
        validate("(module (import \"a\" \"b\" (global i32)) (global i32 (global.get 0)))");
    }

    @Test
    void memoryRules() {
        invalid("(module (memory 65537))");
        invalid("(module (memory 2 1))");
        invalid("(module (func (drop (i32.load (i32.const 0)))))");
        invalid("(module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))");
    }

    @Test
    void simdLaneIndicesAreChecked() {
        validate("(module (func (result i32) (i8x16.extract_lane_s 15 (v128.const i64x2 0 0))))");
        InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> Validator.validate(Decoder.decode(
                patchLane(Wat.compile("(module (func (result i32) (i8x16.extract_lane_s 15 (v128.const i64x2 0 0))))")))));
        assertTrue(e.reason().startsWith("invalid lane index"), e.reason());
    }

    /** Changes the lane immediate 15 of the first extract_lane_s (0xFD 0x15 0x0F) to 16. */
    private static byte[] patchLane(byte[] b) {
        for (int i = 0; i + 2 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFD && b[i + 1] == 0x15 && b[i + 2] == 0x0F) {
                b[i + 2] = 16;
                return b;
            }
        }
        throw new AssertionError("lane immediate not found");
    }

    @Test
    void deepNestingDoesNotUseTheJavaStack() {
        int depth = 200_000;
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        code.write(0); // no locals
        for (int i = 0; i < depth; i++) {
            code.write(0x02);
            code.write(0x40);
        }
        for (int i = 0; i <= depth; i++) code.write(0x0B);
        byte[] body = code.toByteArray();
        byte[] wasm = ModuleBytes.header()
                .section(1, ModuleBytes.contents().u32(1).bytes(0x60, 0, 0))
                .section(3, ModuleBytes.contents().u32(1).u32(0))
                .section(10, ModuleBytes.contents().u32(1).u32(body.length).bytes(DecoderTest.toInts(body)))
                .build();
        // Run on a thread with a deliberately small stack: recursion would overflow it.
        ValidatedModule[] out = new ValidatedModule[1];
        Thread t = new Thread(null, () -> out[0] = ValidatedModule.of(wasm), "small-stack", 64 * 1024);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(depth + 1, out[0].functionInfo(0).maxControlDepth());
    }

    @Test
    void startFunctionMustTakeAndReturnNothing() {
        invalid("(module (func $s (param i32)) (start $s))");
    }

    @Test
    void duplicateExportNames() {
        InvalidModuleException e = invalid("(module (func $f) (export \"a\" (func $f)) (export \"a\" (func $f)))");
        assertTrue(e.reason().startsWith("duplicate export name"));
    }
}
