package dev.kiln.tests.wasi;

import dev.kiln.ir.code.Target;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.Tier;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A tier WASI programs run on: every {@link Tier} the runtime has. The interpreter is {@code interp};
 * the native tier is named after the host's target, as in the spec report ({@code x86_64}); any
 * other tier by its own name. Tiers other than the interpreter need a native backend for this host.
 *
 * @param name    the name in reports
 * @param tier    the store's tier
 * @param cliName the {@code kiln run --tier} value
 */
public record WasiTier(String name, Tier tier, String cliName) {
    public static final WasiTier INTERP = new WasiTier("interp", Tier.INTERP, "interp");

    /** Every tier this host can run, the interpreter first. */
    public static List<WasiTier> available() {
        List<WasiTier> tiers = new ArrayList<>();
        for (Tier t : Tier.values()) {
            String cli = t.name().toLowerCase(Locale.ROOT);
            if (t == Tier.INTERP) tiers.add(INTERP);
            else if (Backends.host() == null) continue;
            else if (t == Tier.NATIVE) tiers.add(new WasiTier(Target.host().id, t, cli));
            else tiers.add(new WasiTier(cli, t, cli));
        }
        return tiers;
    }

    /** Why tiers other than the interpreter do not run here, or null when they do. */
    public static String nativeUnavailableReason() {
        return Backends.host() != null ? null : "no native backend for this host (" + System.getProperty("os.arch") + ")";
    }
}
