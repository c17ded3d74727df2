package dev.kiln.bench;

import dev.kiln.frontend.text.TextFormatException;
import dev.kiln.frontend.text.WastCommand;
import dev.kiln.frontend.text.WastModule;
import dev.kiln.frontend.text.WastParser;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The text parser on the whole WebAssembly 3.0 suite in one JVM: every script read (lexed and
 * split into commands) and every text or quoted module in it parsed to a binary, malformed ones
 * rejected. The first pass is what a fresh JVM pays (class loading, the JIT warming up); later
 * passes show the warm parser. Files are read into memory before the clock starts.
 *   java -cp bench/target/kiln-bench.jar dev.kiln.bench.TextParseBench [SUITE_DIR] [PASSES]
 */
public final class TextParseBench {
    private TextParseBench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "../shared/wasm-3.0-testsuite");
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".wast") && !root.relativize(p).startsWith("proposals")).sorted().toList();
        }
        List<byte[]> texts = new ArrayList<>();
        long bytes = 0;
        for (Path p : files) {
            byte[] b = Files.readAllBytes(p);
            texts.add(b);
            bytes += b.length;
        }
        double[] ms = new double[passes];
        double[] cpu = new double[passes];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int modules = 0;
        int rejected = 0;
        for (int pass = 0; pass < passes; pass++) {
            modules = 0;
            rejected = 0;
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < texts.size(); i++) {
                for (WastCommand c : WastParser.parse(texts.get(i), files.get(i).toString())) {
                    WastModule m = c instanceof WastCommand.Module mc ? mc.module()
                            : c instanceof WastCommand.AssertModule am ? am.module() : null;
                    if (m == null || m.form() == WastModule.Form.BINARY) continue;
                    modules++;
                    try {
                        m.compile();
                    } catch (TextFormatException e) {
                        rejected++;
                    }
                }
            }
            ms[pass] = (System.nanoTime() - t0) / 1e6;
            cpu[pass] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        double[] warm = Arrays.copyOfRange(ms, 1, passes);
        Arrays.sort(warm);
        double[] warmCpu = Arrays.copyOfRange(cpu, 1, passes);
        Arrays.sort(warmCpu);
        System.out.printf("%d scripts (%.1f MB), %d text modules (%d rejected as malformed)%n", files.size(), bytes / 1e6, modules, rejected);
        System.out.printf("first pass (fresh JVM): %.0f ms (parsing thread's CPU time %.0f ms); warm passes: median %.0f ms"
                        + " (CPU %.0f ms)%n", ms[0], cpu[0], warm.length > 0 ? warm[warm.length / 2] : Double.NaN,
                warmCpu.length > 0 ? warmCpu[warmCpu.length / 2] : Double.NaN);
    }
}
