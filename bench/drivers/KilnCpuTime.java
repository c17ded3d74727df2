import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One program on kiln's native tier, as bench/native.sh runs it: compile and instantiate, one call
 * of run(arg) to warm up, then ITER calls, each timed by the calling thread's CPU time (far less
 * disturbed by a loaded machine than wall time). Prints "result median_ms min_ms".
 * Run as a source file against a kiln jar: java -cp kiln.jar KilnCpuTime.java PROGRAM.wasm ARG ITER
 */
public class KilnCpuTime {
    public static void main(String[] args) throws Exception {
        byte[] wasm = Files.readAllBytes(Path.of(args[0]));
        int arg = Integer.parseInt(args[1]);
        int iterations = Integer.parseInt(args[2]);
        FunctionInstance run = new Store().tier(Tier.NATIVE).instantiate(WasmModule.of(wasm), new Imports()).function("run");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Object result = run.call(arg)[0];
        long[] cpu = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = threads.getCurrentThreadCpuTime();
            run.call(arg);
            cpu[i] = threads.getCurrentThreadCpuTime() - start;
        }
        Arrays.sort(cpu);
        System.out.printf("%s %.3f %.3f%n", result, cpu[iterations / 2] / 1e6, cpu[0] / 1e6);
    }
}
