package dev.kiln.tests.fuzz.engine;

import dev.kiln.ir.code.Target;

import java.util.ArrayList;
import java.util.List;

/**
 * The kiln engines the differential check runs: the interpreter, and where this machine has a
 * native backend, native code and the auto tier twice (everything promoted at the first call
 * with on-stack replacement at the first back edge; and promotion part-way, at the second call
 * or third back edge, so interpreted and native frames mix), and code that went through the code
 * cache as an ELF object. An AArch64-under-QEMU engine is meant to join this list.
 */
public final class KilnTiers {
    private KilnTiers() {
    }

    public static List<Engine> all() {
        List<Engine> out = new ArrayList<>();
        out.add(KilnEngine.interpreter());
        if (Target.host() == Target.X86_64) {
            out.add(KilnEngine.nativeHost());
            out.add(KilnEngine.auto(1, 1));
            out.add(KilnEngine.auto(2, 3));
            out.add(KilnEngine.cachedCode());
        }
        return out;
    }
}
