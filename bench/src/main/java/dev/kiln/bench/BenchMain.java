package dev.kiln.bench;

import dev.kiln.runtime.Tier;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one program on one engine in this JVM and prints one JSON line: warm up for a fixed time,
 * then time a fixed number of calls and report the median. bench/run.sh forks one JVM per
 * (engine, program) so JIT profiles never mix.
 * <pre>java -jar kiln-bench.jar ENGINE PROGRAM.wasm ARG [WARMUP_SECONDS] [ITERATIONS]
 * java -jar kiln-bench.jar ENGINE PROGRAM.wasm ARG --once   (load, one call, print its result: a whole process, bench/whole.sh)
 * java -jar kiln-bench.jar --engines        (the engines this harness knows, one a line)</pre>
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** The engines this harness runs; bench/run.sh asks for this list, so a new one needs no script change. */
    static final List<String> ENGINES = List.of("kiln-native", "kiln-interp", "chicory-interp", "chicory-compiler");

    static Engine engine(String name) {
        return switch (name) {
            case "kiln-native" -> new KilnEngine(Tier.NATIVE);
            case "kiln-interp" -> new KilnEngine(Tier.INTERP);
            case "chicory-interp" -> new ChicoryEngine(false);
            case "chicory-compiler" -> new ChicoryEngine(true);
            default -> throw new IllegalArgumentException("unknown engine " + name);
        };
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--engines")) {
            ENGINES.forEach(System.out::println);
            return;
        }
        String engineName = args[0];
        Path program = Path.of(args[1]);
        int arg = Integer.parseInt(args[2]);
        byte[] wasm = Files.readAllBytes(program);
        if (args.length > 3 && args[3].equals("--once")) {
            Engine e = engine(engineName);
            e.load(wasm);
            System.out.println(e.run(arg));
            return;
        }
        double warmupSeconds = args.length > 3 ? Double.parseDouble(args[3]) : 3;
        int iterations = args.length > 4 ? Integer.parseInt(args[4]) : 5;

        long t0 = System.nanoTime();
        Engine e = engine(engineName);
        e.load(wasm);
        long loadNanos = System.nanoTime() - t0;

        int result = 0;
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        int warmups = 0;
        do {
            result = e.run(arg);
            warmups++;
        } while (System.nanoTime() < warmupEnd || warmups < 2);

        double[] ms = new double[iterations];
        double[] cpu = new double[iterations];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < iterations; i++) {
            long c = threads.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            int r = e.run(arg);
            ms[i] = (System.nanoTime() - s) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c) / 1e6;
            if (r != result) throw new IllegalStateException("result changed between calls: " + result + " vs " + r);
        }
        Arrays.sort(ms);
        Arrays.sort(cpu);
        String name = program.getFileName().toString().replace(".wasm", "");
        System.out.printf("{\"engine\":\"%s\",\"program\":\"%s\",\"arg\":%d,\"result\":%d,\"median_ms\":%.3f,"
                        + "\"min_ms\":%.3f,\"max_ms\":%.3f,\"cpu_median_ms\":%.3f,\"load_ms\":%.1f,\"warmup_calls\":%d}%n",
                engineName, name, arg, result, ms[iterations / 2], ms[0], ms[iterations - 1], cpu[iterations / 2],
                loadNanos / 1e6, warmups);
    }
}
