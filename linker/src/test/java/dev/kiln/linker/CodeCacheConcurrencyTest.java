package dev.kiln.linker;

import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent writers and readers of one key, in threads and in separate processes: a reader only
 * ever sees a miss or one complete variant, never a corrupt or half-written entry, and no
 * temporary file is left behind.
 */
class CodeCacheConcurrencyTest {
    static final BuildIdentity IDENTITY = BuildIdentity.ofModule("(module $shared)".getBytes(StandardCharsets.UTF_8),
            "kiln-concurrency", Target.X86_64, "");

    /** One of two different, ~256 KiB objects for {@link #IDENTITY}: a half-written one would be easy to see. */
    static byte[] variant(int which) {
        Random r = new Random(which);
        List<MachineCode> functions = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            byte[] code = new byte[4000 + which];
            r.nextBytes(code);
            functions.add(new MachineCode(Target.X86_64, i, "v" + which + "_f" + i, code, List.of(), List.of(), 0, List.of()));
        }
        return ElfWriter.write(IDENTITY, 64, functions);
    }

    private static int whichVariant(CacheLookup l) {
        if (l instanceof CacheLookup.Hit h) {
            String s = h.object().functions().getFirst().symbol();
            return s.startsWith("v0_") ? 0 : s.startsWith("v1_") ? 1 : -2;
        }
        return -1;
    }

    @TempDir
    Path dir;

    /** Readers run until {@code done}; returns the problems they saw. */
    private static List<Thread> readers(CodeCache cache, int n, AtomicBoolean done, AtomicInteger hits,
                                        ConcurrentLinkedQueue<String> problems) {
        List<Thread> out = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            out.add(Thread.ofPlatform().start(() -> {
                while (!done.get()) {
                    CacheLookup l = cache.load(IDENTITY);
                    if (l instanceof CacheLookup.Corrupt c) problems.add(c.reason());
                    else if (l instanceof CacheLookup.Hit) {
                        hits.incrementAndGet();
                        if (whichVariant(l) < 0) problems.add("unexpected content");
                    }
                }
            }));
        }
        return out;
    }

    private void assertNoTemporaryFiles(CodeCache cache) throws Exception {
        try (var files = Files.list(cache.directory())) {
            assertEquals(List.of(cache.pathOf(IDENTITY.cacheKey())), files.toList());
        }
    }

    @Test
    void threadsWritingAndReadingOneKey() throws Exception {
        CodeCache cache = new CodeCache(dir);
        byte[][] variants = {variant(0), variant(1)};
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger hits = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Thread> readers = readers(cache, 3, done, hits, problems);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int id = w;
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 30; i++) cache.store(IDENTITY.cacheKey(), variants[(i + id) % 2]);
                } catch (Exception e) {
                    problems.add("writer failed: " + e);
                }
            }));
        }
        start.countDown();
        for (Thread t : writers) t.join();
        done.set(true);
        for (Thread t : readers) t.join();
        assertEquals(List.of(), problems.stream().limit(5).toList(), problems.size() + " problems");
        assertTrue(hits.get() > 0, "readers saw the entry");
        assertTrue(whichVariant(cache.load(IDENTITY)) >= 0);
        assertNoTemporaryFiles(cache);
    }

    @Test
    void processesWritingAndReadingOneKey() throws Exception {
        CodeCache cache = new CodeCache(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Process> writers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            writers.add(new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                    CacheWriterProcess.class.getName(), dir.toString(), "40")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start());
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger hits = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Thread> readers = readers(cache, 2, done, hits, problems);
        for (Process p : writers) {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "writer process timed out");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "writer process failed:\n" + out);
        }
        done.set(true);
        for (Thread t : readers) t.join();
        assertEquals(List.of(), problems.stream().limit(5).toList(), problems.size() + " problems");
        assertTrue(whichVariant(cache.load(IDENTITY)) >= 0);
        assertNoTemporaryFiles(cache);
    }
}
