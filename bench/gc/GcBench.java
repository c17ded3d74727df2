import dev.kiln.runtime.Engine;
import dev.kiln.runtime.FunctionType;
import dev.kiln.runtime.GlobalInstance;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.WasmModule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a Wasm GC program's _start ROUNDS times on one kiln engine, each in a fresh store (the
 * JVM warm after WARMUP rounds), and prints one JSON line: the median time of a round, the
 * collections' pause times (p50, p99, max) over the measured rounds, and the program's exported
 * {@code result} global (a checksum, compared with wasmtime's by gc.sh).
 *   java -cp cli/target/kiln.jar bench/gc/GcBench.java PROGRAM.wasm TIER WARMUP ROUNDS
 */
public class GcBench {
    public static void main(String[] args) throws Exception {
        byte[] wasm = Files.readAllBytes(Path.of(args[0]));
        Tier tier = Tier.valueOf(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        Engine engine = Engine.builder().tier(tier).build();
        WasmModule module = engine.compile(wasm);
        long[] times = new long[rounds];
        List<Long> pauses = new ArrayList<>();
        long collections = 0;
        long result = 0;
        for (int r = -warmup; r < rounds; r++) {
            try (Store store = engine.newStore()) {
                Imports imports = new Imports().define(new HostFunction("spectest", "print_char",
                        FunctionType.of(List.of(ValueType.I32), List.of()), (caller, a) -> new long[0]), store);
                Instance i = store.instantiate(module, imports);
                long t0 = System.nanoTime();
                i.function("_start").call();
                long t = System.nanoTime() - t0;
                if (i.exports().get("result") instanceof GlobalInstance g) result = g.getInt();
                if (r >= 0) {
                    times[r] = t;
                    for (long p : store.gcPauseNanos()) pauses.add(p);
                    collections += store.gcStats()[0];
                }
            }
        }
        Arrays.sort(times);
        long[] p = pauses.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("{\"engine\": \"kiln-%s\", \"median_s\": %.4f, \"collections_per_round\": %.1f, \"pause_p50_ms\": %.3f, \"pause_p99_ms\": %.3f, \"pause_max_ms\": %.3f, \"result\": %d}%n",
                tier.name().toLowerCase(), times[rounds / 2] / 1e9, (double) collections / rounds,
                pct(p, 0.50) / 1e6, pct(p, 0.99) / 1e6, p.length == 0 ? 0 : p[p.length - 1] / 1e6, result);
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }
}
