package dev.kiln.backend.aarch64;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.text.WatParser;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Function 0's body as the code-shape tests compare it: the listing's instructions after the
 * prologue's stack check, up to the epilogue, normalised as objdump prints them, with
 * register-to-register copies left out (where values land is the allocator's business).
 */
final class A64BodyListing {
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f]+) \\t(.*)$");

    private A64BodyListing() {
    }

    static List<String> of(String wat) {
        ValidatedModule vm = ValidatedModule.of(WatParser.parse(wat, "test.wat").binary());
        MachineCode mc = A64Backend.INSTANCE.compile(vm, SymbolNames.of(vm.module()), 0, CodeOptions.DEFAULT, true);
        List<String> out = new ArrayList<>();
        boolean started = false;
        for (String line : mc.listing()) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) continue;
            String text = GnuBinutils.normalize(m.group(3));
            if (!started) {
                started = text.matches("b\\.(lo|cc) .*"); // the stack check ends the prologue (a function without calls checks no interruption)
                continue;
            }
            if (text.equals("mov sp, x29")) break;
            if (text.matches("mov [xw]\\d+, [xw]\\d+|mov v\\d+\\.16b, v\\d+\\.16b")) continue;
            out.add(text);
        }
        return out;
    }
}
