import dev.kiln.runtime.Engine;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TierReport;
import dev.kiln.runtime.WasmModule;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One program on kiln's native tier as bench/native-set.sh runs it, the way a user's process does:
 * open the module through the code cache (filled by an earlier run: a hit maps the cached code,
 * nothing is compiled), instantiate it, run {@code _initialize} when the module exports it, then
 * time the one call of run(arg), the program's own work, by the calling thread's CPU time and by
 * wall time. Prints "result cpu_ms wall_ms compiled" (compiled: functions compiled in this process,
 * 0 on a cache hit). The whole process is timed from outside.
 *   java -cp kiln.jar:CLASSES KilnFirstCall PROGRAM.wasm ARG CACHE_DIR [fill]
 * (fill: write what is compiled to the cache; otherwise the cache is only read)
 */
public class KilnFirstCall {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int arg = Integer.parseInt(args[1]);
        boolean fill = args.length > 3 && args[3].equals("fill");
        Engine engine = Engine.builder().tier(Tier.NATIVE).cacheDirectory(Path.of(args[2])).cacheWrite(fill).build();
        WasmModule module = engine.compile(Files.readAllBytes(file), file.getFileName().toString());
        Store store = engine.newStore();
        Instance instance = store.instantiate(module, new Imports());
        instance.findFunction("_initialize").ifPresent(init -> init.call());
        FunctionInstance run = instance.function("run");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime(), wall = System.nanoTime();
        Object result = run.call(arg)[0];
        wall = System.nanoTime() - wall;
        cpu = threads.getCurrentThreadCpuTime() - cpu;
        int compiled = TierReport.of(module, store, 0).compiled();
        System.out.printf("%s %.3f %.3f %d%n", result, cpu / 1e6, wall / 1e6, compiled);
    }
}
