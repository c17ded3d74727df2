import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * kiln's compile in a warm JVM, for bench/compile.sh: decodes and validates the module once, then
 * compiles every function for this machine REPS times in one process (the tier-up path's JVM, whose
 * compiler is already JIT-compiled), the way {@code kiln compile -o} does (the ELF object is made
 * and dropped). Prints one JSON line per compile {"rep": i, "wall_ms", "cpu_ms": the process's CPU
 * time during it (every compiling thread), "heap_mb": the heap in use after it}; the last line is the
 * warm figure.
 *   java -cp kiln.jar:CLASSES KilnCompileWarm MODULE.wasm REPS
 */
public class KilnCompileWarm {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int reps = Integer.parseInt(args[1]);
        Engine engine = Engine.builder().tier(Tier.INTERP).precompiledCode(null).build();
        WasmModule module = engine.compile(Files.readAllBytes(file), file.getFileName().toString());
        CodeTarget target = CodeTarget.host().orElseThrow();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Runtime rt = Runtime.getRuntime();
        for (int i = 1; i <= reps; i++) {
            long cpu = os.getProcessCpuTime(), wall = System.nanoTime();
            byte[] object = engine.precompile(module, target);
            wall = System.nanoTime() - wall;
            cpu = os.getProcessCpuTime() - cpu;
            System.out.printf("{\"rep\":%d,\"wall_ms\":%.1f,\"cpu_ms\":%.1f,\"heap_mb\":%d,\"bytes\":%d}%n", i, wall / 1e6, cpu / 1e6,
                    (rt.totalMemory() - rt.freeMemory()) >> 20, object.length);
        }
    }
}
