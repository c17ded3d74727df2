package dev.kiln.backend.x64;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.SymbolNames;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shape of the code around calls and returns: hints, an epilogue per return, lea, constants on edges. */
class X64CodeShapeTest {
    private static List<String> listing(String wat) {
        ValidatedModule vm = ValidatedModule.of(Wat.compile(wat));
        return X64Backend.INSTANCE.compile(vm, SymbolNames.of(vm.module()), 0, CodeOptions.DEFAULT, true).listing();
    }

    private static long count(List<String> listing, String text) {
        return listing.stream().filter(l -> l.contains(text)).count();
    }

    @Test
    void recursiveCallUsesHintsAndReturnsWithoutAJump() {
        List<String> l = listing("""
                (module (func $f (param i32) (result i32)
                  (if (i32.lt_s (local.get 0) (i32.const 2)) (then (return (local.get 0))))
                  (i32.add (call $f (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))
                """);
        String all = String.join("\n", l);
        assertFalse(all.contains("epilogue"), "no jump to a shared epilogue:\n" + all);
        assertEquals(2, count(l, "ret"), "one epilogue per return:\n" + all);
        assertTrue(all.contains("sub    edi,0x1"), "the argument is computed in place, in its register:\n" + all);
        assertFalse(all.contains("mov    rsi,rdi"), "the parameter stays where it arrives:\n" + all);
    }

    @Test
    void aConstantPassedAlongAnEdgeIsWrittenThereNotKeptInARegister() {
        // k counts to 100 but leaves the loop early through an edge that passes the constant 7
        List<String> l = listing("""
                (module (func (param i32) (result i32) (local $k i32)
                  (block $out (result i32)
                    (loop $l
                      (drop (br_if $out (i32.const 7) (i32.eq (local.get $k) (local.get 0))))
                      (local.set $k (i32.add (local.get $k) (i32.const 1)))
                      (br_if $l (i32.lt_u (local.get $k) (i32.const 100))))
                    (local.get $k))))
                """);
        String all = String.join("\n", l);
        assertTrue(all.contains(",0x7"), "7 is written into the parameter's register at the edge:\n" + all);
        assertEquals(1, count(l, "0x7"), "and materialised nowhere else:\n" + all);
    }
}
