package dev.kiln.backend.x64;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.SymbolNames;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A value spilled after its definition is read from its register until then, not stored and read straight back. */
class X64SplitHeadsTest {
    private static final Pattern SLOT = Pattern.compile("\\[rbp-0x[0-9a-f]+\\]");

    /** Fourteen values, each used right after its definition and all again at the end: more than the registers. */
    private static String pressure() {
        int n = 14;
        StringBuilder wat = new StringBuilder("(module (func (param $p i32) (param $q i32) (result i32) (local $acc i32)");
        for (int i = 0; i < n; i++) wat.append(" (local $v").append(i).append(" i32)");
        for (int i = 0; i < n; i++) {
            wat.append("\n (local.set $v").append(i).append(" (i32.mul (local.get $p) (i32.const ").append(i + 3).append(")))");
            wat.append("\n (local.set $acc (i32.xor (local.get $acc) (i32.shl (local.get $v").append(i).append(") (local.get $q))))");
        }
        String sum = "(local.get $acc)";
        for (int i = 0; i < n; i++) sum = "(i32.add " + sum + " (i32.mul (local.get $v" + i + ") (local.get $v" + (i + 1) % n + ")))";
        return wat.append("\n ").append(sum).append("))").toString();
    }

    @Test
    void aSpilledValueIsNotReadBackRightAfterItsStore() {
        ValidatedModule vm = ValidatedModule.of(Wat.compile(pressure()));
        List<String> l = X64Backend.INSTANCE.compile(vm, SymbolNames.of(vm.module()), 0, CodeOptions.DEFAULT, true).listing();
        String all = String.join("\n", l);
        int stores = 0;
        for (int k = 0; k < l.size(); k++) {
            String line = l.get(k);
            Matcher m = SLOT.matcher(line);
            if (!line.contains("mov    QWORD PTR [rbp-") || !m.find()) continue;
            stores++;
            String slot = m.group();
            for (int j = k + 1; j < Math.min(l.size(), k + 4); j++) {
                assertFalse(l.get(j).contains(slot), "slot " + slot + " read back right after its store:\n" + all);
            }
        }
        assertTrue(stores >= 3, "values are spilled:\n" + all);
    }
}
