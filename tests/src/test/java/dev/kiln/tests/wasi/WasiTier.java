package dev.kiln.tests.wasi;

import dev.kiln.ir.code.Target;
import dev.kiln.runtime.Backends;
import dev.kiln.runtime.Tier;

import java.util.ArrayList;
import java.util.List;

/**
 * A tier WASI programs run on: the interpreter, or the host's native backend (named after its
 * target, as in the spec report: {@code x86_64}).
 *
 * @param name    the name in reports
 * @param tier    the store's tier
 * @param cliName the {@code kiln run --tier} value
 */
public record WasiTier(String name, Tier tier, String cliName) {
    public static final WasiTier INTERP = new WasiTier("interp", Tier.INTERP, "interp");

    /** The native tier of this host, or null when kiln has no backend for it. */
    public static WasiTier nativeTier() {
        Target t = Target.host();
        return t == null || Backends.host() == null ? null : new WasiTier(t.id, Tier.NATIVE, "native");
    }

    /** Every tier this host can run. */
    public static List<WasiTier> available() {
        List<WasiTier> tiers = new ArrayList<>(List.of(INTERP));
        WasiTier n = nativeTier();
        if (n != null) tiers.add(n);
        return tiers;
    }

    /** Why the native tier does not run here, or null when it does. */
    public static String nativeUnavailableReason() {
        return nativeTier() != null ? null : "no native backend for this host (" + System.getProperty("os.arch") + ")";
    }
}
