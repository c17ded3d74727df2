package dev.kiln.tests.fuzz.engine;

import dev.kiln.runtime.internal.Backends;

import java.util.ArrayList;
import java.util.List;

/**
 * The kiln engines the differential check runs: the interpreter, and where this JVM has a native
 * backend (x86-64, or AArch64 in an AArch64 JVM): native code; the auto tier three times
 * (everything promoted at the first call with on-stack replacement at the first back edge;
 * promotion part-way, at the second call or third back edge; and loops entered by OSR after two
 * back edges while callers stay interpreted for five calls, so interpreted and native frames mix); and
 * code that went through the code cache as an ELF object. An engine for AArch64 code run from an
 * x86-64 JVM (a helper JVM under QEMU speaking JSON lines like {@link WasmtimeOracle}) would join
 * this list as one more {@link Engine}.
 */
public final class KilnTiers {
    private KilnTiers() {
    }

    public static List<Engine> all() {
        List<Engine> out = new ArrayList<>();
        out.add(KilnEngine.interpreter());
        if (Backends.host() != null) {
            out.add(KilnEngine.nativeHost());
            out.add(KilnEngine.auto(1, 1));
            out.add(KilnEngine.auto(2, 3));
            out.add(KilnEngine.auto(5, 2));
            out.add(KilnEngine.cachedCode());
        }
        return out;
    }
}
