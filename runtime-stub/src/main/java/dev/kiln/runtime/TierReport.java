package dev.kiln.runtime;

import dev.kiln.interpreter.CompiledFunction;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What the tiers did with a module during a run ({@code kiln run --stats}).
 *
 * @param interpreted          functions that ran in the interpreter
 * @param promoted             functions compiled because they became hot, and bound
 * @param boundFromCache       functions bound to cached code
 * @param osrEntries           loops moved to native code while running
 * @param notCompiled          promotions and OSR compilations that failed (the code stays interpreted)
 * @param compiled             functions compiled in this run (promotion, or the native tier)
 * @param compileMillis        time spent compiling them (the background thread in the auto tier)
 * @param firstInstructionMillis time from JVM start to the first Wasm instruction, or -1
 * @param top                  the functions the interpreter counted most, busiest first
 * @param background           what the background compilers did (auto tier)
 */
public record TierReport(int functions, int interpreted, int promoted, int boundFromCache, int osrEntries, int notCompiled, int compiled,
                         double compileMillis, long firstInstructionMillis, List<Hot> top, Background background) {
    /** A function's interpreter counters, and whether it runs natively now. */
    public record Hot(int index, String name, long calls, long backEdges, boolean nativeNow) {
    }

    /**
     * The background compilations of the auto tier: {@code requested} promotions and OSR continuations,
     * {@code ran} of them (the rest were {@code dropped} from the full queue, or still waited at exit),
     * their total wait in the queue, wall time and compiler-thread CPU time, and the slowest ones;
     * {@code interpreterEvents} is the process's count of interpreted calls and back-edges, which
     * earns compiles (a compile waits until the program has run long enough to pay for it).
     */
    public record Background(int requested, int ran, int dropped, double waitMillis, double millis, double cpuMillis,
                             long interpreterEvents, List<Compile> slowest) {
    }

    /** One background compilation: an OSR continuation or a promotion of function {@code index}. */
    public record Compile(int index, String name, boolean osr, double waitMillis, double millis, double cpuMillis) {
    }

    public static TierReport of(WasmModule module, Store store, int topCount) {
        var m = module.validated().module();
        NativeModule nm = module.existingNativeCode(store.backend().cpu(), store.codeOptions());
        TierStats s = nm == null ? new TierStats() : nm.stats;
        // what ran in the interpreter, not every function of the module (34 000 in Yosys); names for the top ones only
        List<CompiledFunction> ran = new ArrayList<>(module.everInterpreted());
        ran.sort(Comparator.comparingLong((CompiledFunction cf) -> cf.calls + cf.backEdges).reversed().thenComparingInt(cf -> cf.funcIndex));
        int interpreted = ran.size();
        List<Hot> hot = new ArrayList<>();
        for (CompiledFunction cf : ran.subList(0, Math.min(topCount, interpreted))) {
            int f = cf.funcIndex;
            hot.add(new Hot(f, m.functionDisplayName(f), cf.calls, cf.backEdges, nm != null && nm.address(f) != 0));
        }
        long first = store.firstInstructionNanos();
        long firstMs = first == 0 ? -1
                : ManagementFactory.getRuntimeMXBean().getUptime() - (System.nanoTime() - first) / 1_000_000;
        return new TierReport(m.functionBodies().size(), interpreted, s.promoted.get(), s.boundFromCache.get(), s.osr.get(), s.failed.get(),
                s.compiledCount.get(), s.compileNanos.get() / 1e6, firstMs, hot,
                background(s, m::functionDisplayName, topCount));
    }

    private static Background background(TierStats s, IntFunction<String> names, int topCount) {
        List<TierStats.Compile> runs = s.compiles();
        long wait = 0, wall = 0, cpu = 0;
        for (TierStats.Compile c : runs) {
            wait += c.waitNanos();
            wall += c.nanos();
            cpu += c.cpuNanos();
        }
        List<Compile> slowest = runs.stream().sorted(Comparator.comparingLong(TierStats.Compile::cpuNanos).reversed()).limit(topCount)
                .map(c -> new Compile(c.funcIndex(), names.apply(c.funcIndex()), c.osr(), c.waitNanos() / 1e6, c.nanos() / 1e6, c.cpuNanos() / 1e6))
                .toList();
        return new Background(s.requested.get(), runs.size(), s.dropped.get(), wait / 1e6, wall / 1e6, cpu / 1e6, TierUp.events(), slowest);
    }

    /**
     * The report as one line of JSON (the record's components by name, {@code top} and
     * {@code background.slowest} as arrays of objects), written by hand: a JSON library costs the process more class loading than the run
     * of a small program.
     */
    public String json() {
        StringBuilder sb = new StringBuilder("{\"functions\":").append(functions)
                .append(",\"interpreted\":").append(interpreted).append(",\"promoted\":").append(promoted)
                .append(",\"boundFromCache\":").append(boundFromCache).append(",\"osrEntries\":").append(osrEntries)
                .append(",\"notCompiled\":").append(notCompiled).append(",\"compiled\":").append(compiled)
                .append(",\"compileMillis\":").append(compileMillis).append(",\"firstInstructionMillis\":").append(firstInstructionMillis)
                .append(",\"top\":[");
        for (int i = 0; i < top.size(); i++) {
            Hot h = top.get(i);
            sb.append(i > 0 ? "," : "").append("{\"index\":").append(h.index).append(",\"name\":");
            quote(sb, h.name);
            sb.append(",\"calls\":").append(h.calls).append(",\"backEdges\":").append(h.backEdges)
                    .append(",\"nativeNow\":").append(h.nativeNow).append('}');
        }
        Background b = background;
        sb.append("],\"background\":{\"requested\":").append(b.requested).append(",\"ran\":").append(b.ran)
                .append(",\"dropped\":").append(b.dropped).append(",\"waitMillis\":").append(b.waitMillis)
                .append(",\"millis\":").append(b.millis).append(",\"cpuMillis\":").append(b.cpuMillis)
                .append(",\"interpreterEvents\":").append(b.interpreterEvents).append(",\"slowest\":[");
        for (int i = 0; i < b.slowest.size(); i++) {
            Compile c = b.slowest.get(i);
            sb.append(i > 0 ? "," : "").append("{\"index\":").append(c.index).append(",\"name\":");
            quote(sb, c.name);
            sb.append(",\"osr\":").append(c.osr).append(",\"waitMillis\":").append(c.waitMillis)
                    .append(",\"millis\":").append(c.millis).append(",\"cpuMillis\":").append(c.cpuMillis).append('}');
        }
        return sb.append("]}}").toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        sb.append('"');
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("kiln stats: %d functions: %d interpreted, %d promoted to native, %d bound from the cache, "
                + "%d loops moved to native code while running (OSR)%n", functions, interpreted, promoted, boundFromCache, osrEntries));
        if (notCompiled > 0) sb.append(String.format("kiln stats: %d compilations failed (that code stays interpreted)%n", notCompiled));
        sb.append(String.format("kiln stats: %d compiled in %.1f ms; first Wasm instruction %d ms after JVM start%n",
                compiled, compileMillis, firstInstructionMillis));
        for (Hot h : top) {
            sb.append(String.format("kiln stats:   %-40s %10d calls %12d back-edges  %s%n", h.name, h.calls, h.backEdges,
                    h.nativeNow ? "native now" : "interpreted"));
        }
        Background b = background;
        if (b.requested() > 0) {
            sb.append(String.format("kiln stats: background compiles: %d requested, %d ran, %d dropped; %.1f ms waiting, %.1f ms compiling, "
                    + "%.1f ms compiler CPU; %d interpreter events (calls and back-edges) earned them%n", b.requested(), b.ran(), b.dropped(),
                    b.waitMillis(), b.millis(), b.cpuMillis(), b.interpreterEvents()));
            for (Compile c : b.slowest()) {
                sb.append(String.format("kiln stats:   %-40s %-7s waited %8.1f ms, compiled in %8.1f ms, %8.1f ms CPU%n", c.name(),
                        c.osr() ? "OSR" : "promote", c.waitMillis(), c.millis(), c.cpuMillis()));
            }
        }
        return sb.toString();
    }
}
