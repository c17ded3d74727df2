package dev.kiln.runtime.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the time from JVM start to the first Wasm instruction goes, for {@code bench/startup.sh}: with
 * the environment variable {@code KILN_PHASES} set, each {@link #mark} records the CPU time of the
 * calling thread (Linux's {@code /proc/thread-self/schedstat}, nanoseconds), and at the first Wasm
 * instruction one line goes to stderr: {@code kiln-phases {JSON}} with the CPU spent in each phase (up to
 * its mark, from the previous one), the main thread's CPU, the process's (in the kernel's 10 ms ticks; it
 * counts threads that ended too) and the wall time since JVM start, and every live thread's CPU by name. Without the variable a mark is one test of a constant. Diagnostics of this
 * process only: the marks are kept per process, for its one start.
 */
public final class StartupPhases {
    private static final boolean ENABLED = System.getenv("KILN_PHASES") != null;
    private static final List<String> names = new ArrayList<>();
    private static final List<Long> cpuNanos = new ArrayList<>();
    private static boolean reported;

    private StartupPhases() {
    }

    /** Ends the phase {@code name} on this thread (its CPU time is counted from the previous mark). */
    public static void mark(String name) {
        if (!ENABLED) return;
        long cpu = threadCpuNanos(Path.of("/proc/thread-self/schedstat"));
        synchronized (StartupPhases.class) {
            names.add(name);
            cpuNanos.add(cpu);
        }
    }

    /** The first Wasm instruction is about to run: the last mark, and the report on {@code err} (once). */
    public static void firstInstruction(PrintStream err) {
        if (!ENABLED) return;
        long now = System.currentTimeMillis();
        mark("first");
        synchronized (StartupPhases.class) {
            if (reported) return;
            reported = true;
        }
        err.println("kiln-phases " + json(now - ManagementFactory.getRuntimeMXBean().getStartTime()));
    }

    private static synchronized String json(long uptimeMillis) {
        StringBuilder s = new StringBuilder("{\"uptimeMillis\":").append(uptimeMillis);
        s.append(",\"mainCpuMillis\":").append(millis(cpuNanos.getLast()));
        s.append(",\"processCpuMillis\":").append(processCpuMillis()).append(",\"phases\":{");
        long before = 0;
        for (int i = 0; i < names.size(); i++) {
            s.append(i == 0 ? "" : ",").append('"').append(names.get(i)).append("\":").append(millis(cpuNanos.get(i) - before));
            before = cpuNanos.get(i);
        }
        s.append("},\"threads\":{");
        int i = 0;
        for (Map.Entry<String, Long> t : threadsByName().entrySet()) {
            s.append(i++ == 0 ? "" : ",").append('"').append(t.getKey()).append("\":").append(millis(t.getValue()));
        }
        return s.append("}}").toString();
    }

    /** CPU time of every thread of this process, summed by name (numbers dropped: "C1 CompilerThre"). */
    private static Map<String, Long> threadsByName() {
        Map<String, Long> out = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                String name = Files.readString(t.resolve("comm"), StandardCharsets.UTF_8).strip()
                        .replaceAll("[0-9]+$", "").replace('"', '\'').strip();
                out.merge(name, threadCpuNanos(t.resolve("schedstat")), Long::sum);
            }
        } catch (IOException e) {
            out.put("unknown", -1L);
        }
        return out;
    }

    /** User and system CPU time of the whole process from {@code /proc/self/stat} (ticks of 10 ms), or -1. */
    private static long processCpuMillis() {
        try {
            String s = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime, stime: fields 14 and 15 of stat(5)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long threadCpuNanos(Path schedstat) {
        try {
            String s = Files.readString(schedstat, StandardCharsets.US_ASCII);
            int space = s.indexOf(' ');
            return Long.parseLong(space < 0 ? s.strip() : s.substring(0, space));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
