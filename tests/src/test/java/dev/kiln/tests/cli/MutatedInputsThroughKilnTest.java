package dev.kiln.tests.cli;

import dev.kiln.frontend.ExternKind;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.testing.ModuleMutations;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.linker.CodeCache;
import dev.kiln.linker.MappedObject;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.internal.NativeCompiler;
import dev.kiln.tests.wasi.KilnProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The mutation fuzzers end to end: damaged modules (the spec suite's, mutated) and damaged cache
 * entries go through {@code kiln run}, on every tier, in a JVM of its own ({@link KilnCaseDriver}),
 * so that a JVM crash or a hang is caught as a finding (the case is named and kept in
 * {@code target/fuzz-findings/}) instead of taking the test run down with it. Every run must end
 * with a result, a clear error (exit 1) or a trap (exit 134), never an internal error or a Java
 * exception; a damaged cache entry must be reported and rebuilt, and the program must still print
 * the right answer. Both sizes are in the slow suite for now: 400 modules and 150 cache entries, and
 * 20 000 and 3 000.
 */
class MutatedInputsThroughKilnTest {
    @TempDir
    Path dir;

    /** A run of kiln and how to judge its outcome (null: fine; else what is wrong). */
    record Case(String name, List<String> args, byte[] input, BiFunction<Integer, String[], String> judge) {
    }

    static final byte[] FIB = Wat.compile("""
            (module
              (memory (export "memory") 1)
              (func $fib (param i64) (result i64)
                (if (result i64) (i64.lt_u (local.get 0) (i64.const 2)) (then (local.get 0))
                  (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1))) (call $fib (i64.sub (local.get 0) (i64.const 2)))))))
              (func (export "run") (param i64) (result i64)
                (i64.store (i32.const 8) (call $fib (local.get 0)))
                (i64.load (i32.const 8))))
            """);

    /** A clean end for hostile input: success, a module or file error, or a trap; no internal error, no Java exception text. */
    static String cleanly(int exit, String[] outErr) {
        if (exit != 0 && exit != 1 && exit != 134) return "exit " + exit;
        if (outErr[1].contains("Exception") || outErr[1].contains("\tat ") || outErr[1].contains("internal error")) return "stderr: " + outErr[1];
        return null;
    }

    /** Mutated spec-suite modules through kiln run on a random tier; valid ones invoke each export with zeros. */
    List<Case> mutatedModules(int count, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<Case> cases = new ArrayList<>();
        int corpus = ModuleMutations.CORPUS.size();
        for (int k = 0; k < count; k++) {
            List<ModuleMutations.Mutation> ms = new ArrayList<>();
            for (int m = random.nextInt(1, 5); m > 0; m--) {
                ms.add(new ModuleMutations.Mutation(ModuleMutations.Kind.values()[random.nextInt(ModuleMutations.Kind.values().length)],
                        random.nextInt(corpus), random.nextInt(corpus), random.nextDouble(), random.nextDouble(), random.nextInt(256)));
            }
            byte[] bytes = ModuleMutations.apply(ms);
            Path file = dir.resolve("m" + k + ".wasm");
            Files.write(file, bytes);
            String tier = List.of("interp", "native", "auto").get(random.nextInt(3));
            List<String> args = new ArrayList<>(List.of("run", "--tier", tier, "--no-cache", "--fuel", "1000000", "--timeout", "5000"));
            FuncType type = null;
            String export = null;
            try {
                var module = NativeCompiler.validated(WasmModule.of(bytes)).module();
                for (var e : module.exports()) {
                    if (e.kind() == ExternKind.FUNC) {
                        export = e.name();
                        type = module.functionType(e.index());
                        break;
                    }
                }
            } catch (RuntimeException invalid) {
                // kiln run must say so
            }
            boolean numeric = type != null;
            for (int p = 0; numeric && p < type.paramCount(); p++) {
                numeric = switch (type.param(p).machine()) {
                    case I32, I64, F32, F64 -> true;
                    default -> false;
                };
            }
            if (numeric && !export.contains("\t") && !export.contains("\n")) {
                args.addAll(List.of("--invoke", export, file.toString()));
                for (int p = 0; p < type.paramCount(); p++) args.add("0");
            } else {
                args.add(file.toString());
            }
            cases.add(new Case("mutated module " + k + " " + ms, args, bytes, MutatedInputsThroughKilnTest::cleanly));
        }
        return cases;
    }

    /**
     * A damaged cache entry for FIB: flipped bytes anywhere or in the metadata (function rows, trap tables),
     * a truncation or appended bytes; kiln must rebuild it and answer right, or stop before damaged text runs.
     */
    List<Case> damagedCacheEntries(int count, long seed) throws Exception {
        Path module = dir.resolve("fib.wasm");
        Files.write(module, FIB);
        Path reference = dir.resolve("reference-cache");
        NativeCompiler.prepare(WasmModule.of(FIB), new CodeCache(reference), true, w -> { }, Tier.NATIVE);
        Path entry = new CodeCache(reference).pathOf(NativeCompiler.identity(WasmModule.of(FIB), Backends.host().cpu(), CodeOptions.DEFAULT).cacheKey());
        byte[] good = Files.readAllBytes(entry);
        MappedObject object = MappedObject.open(entry);
        long metadataAt = object.metadataFileOffset();
        int metadataSize = (int) object.metadataSize();
        SplittableRandom random = new SplittableRandom(seed);
        List<Case> cases = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            byte[] bad = switch (random.nextInt(4)) {
                case 0 -> {
                    byte[] b = good.clone();
                    for (int f = random.nextInt(1, 4); f > 0; f--) b[random.nextInt(b.length)] ^= (byte) random.nextInt(1, 256);
                    yield b;
                }
                case 1 -> Arrays.copyOf(good, random.nextInt(good.length));
                case 2 -> {
                    byte[] b = good.clone();
                    b[(int) (metadataAt + random.nextInt(metadataSize))] ^= (byte) random.nextInt(1, 256);
                    yield b;
                }
                default -> {
                    byte[] b = Arrays.copyOf(good, good.length + random.nextInt(1, 64));
                    for (int i = good.length; i < b.length; i++) b[i] = (byte) random.nextInt(256);
                    yield b;
                }
            };
            Path cache = dir.resolve("cache" + k);
            Files.createDirectories(cache);
            Files.write(cache.resolve(entry.getFileName()), bad);
            String tier = random.nextBoolean() ? "native" : "auto";
            List<String> args = List.of("run", "--tier", tier, "--cache-dir", cache.toString(), "--invoke", "run", module.toString(), "20");
            Path written = cache.resolve(entry.getFileName());
            cases.add(new Case("damaged cache entry " + k, args, bad, (exit, outErr) -> {
                String problem = cleanly(exit, outErr);
                if (problem != null) return problem;
                // damaged metadata is checked block by block when first used (a function's when it is bound): the
                // functions it describes run from the module's Wasm instead, after one line, and the entry is gone, so the
                // next run rebuilds it
                if (exit == 0 && outErr[0].equals("6765\n") && outErr[1].contains("metadata block")) {
                    return outErr[1].strip().lines().count() == 1 && outErr[1].contains("run from the module's Wasm instead")
                            && !Files.exists(written) ? null : "metadata: " + outErr[1];
                }
                if (exit == 0 && outErr[0].equals("6765\n")) return null; // damaged headers found at open and rebuilt, or damage nothing uses
                // damaged text is checked block by block when first used (the mapped format): the run stops with one line
                // before any instruction of the damaged block runs, and the entry is gone, so the next run rebuilds it
                if (exit == 1 && outErr[0].isEmpty() && outErr[1].contains("is damaged") && outErr[1].contains("it was never run")
                        && outErr[1].strip().lines().count() == 1 && !Files.exists(written)) {
                    return null;
                }
                return "exit " + exit + ", output " + outErr[0] + outErr[1];
            }));
        }
        return cases;
    }

    /**
     * Runs the cases in forked JVMs ({@link KilnCaseDriver}), restarting after a crash or hang;
     * returns the findings (each written to target/fuzz-findings/).
     */
    List<String> runForked(List<Case> cases) throws Exception {
        Path plan = dir.resolve("plan.txt"), results = dir.resolve("results.txt");
        List<String> lines = new ArrayList<>();
        for (Case c : cases) lines.add(String.join("\t", c.args()));
        Files.write(plan, lines);
        Files.deleteIfExists(results);
        List<String> findings = new ArrayList<>();
        Map<Integer, String[]> done = new HashMap<>();
        Map<Integer, Integer> exits = new HashMap<>();
        int next = 0;
        while (next < cases.size()) {
            List<String> cmd = new ArrayList<>(KilnProcess.javaCommand(List.of()));
            cmd.removeLast(); // dev.kiln.cli.Main
            cmd.add(KilnCaseDriver.class.getName());
            cmd.addAll(List.of(plan.toString(), results.toString(), Integer.toString(next)));
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(dir.resolve("driver.err").toFile())
                    .start();
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.MINUTES)) p.destroyForcibly().waitFor();
            int started = -1;
            for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
                if (line.startsWith("start ")) started = Integer.parseInt(line.substring(6).strip());
                else if (line.startsWith("hang ")) started = Integer.parseInt(line.substring(5).strip());
                else if (line.startsWith("done ")) {
                    String[] parts = line.split("\t", -1);
                    String[] head = parts[0].split(" ");
                    int i = Integer.parseInt(head[1]);
                    exits.put(i, Integer.parseInt(head[2]));
                    done.put(i, new String[] {KilnCaseDriver.unescape(parts[1]), KilnCaseDriver.unescape(parts[2])});
                }
            }
            if (p.exitValue() == 0 && done.size() >= cases.size()) break;
            if (started < 0 || done.containsKey(started)) { // the driver ended without a case running: cannot go on
                findings.add("the driver JVM ended with status " + p.exitValue() + ": " + Files.readString(dir.resolve("driver.err")));
                break;
            }
            String stderr = Files.readString(dir.resolve("driver.err"));
            findings.add(record(cases.get(started), (p.exitValue() == 3 ? "a hang" : "the JVM ended with status " + p.exitValue()) + ": "
                    + stderr.lines().limit(12).reduce("", (a, b) -> a + "\n" + b)));
            next = started + 1;
        }
        for (int i = 0; i < cases.size(); i++) {
            if (!done.containsKey(i)) continue;
            String problem = cases.get(i).judge().apply(exits.get(i), done.get(i));
            if (problem != null) findings.add(record(cases.get(i), problem));
        }
        System.out.println("MutatedInputsThroughKilnTest: " + cases.size() + " runs of kiln, " + findings.size() + " findings");
        return findings;
    }

    private static String record(Case c, String problem) throws Exception {
        Path findings = Path.of("target", "fuzz-findings");
        Files.createDirectories(findings);
        Path saved = findings.resolve("kiln-run-" + Integer.toHexString(Arrays.hashCode(c.input())) + ".bin");
        Files.write(saved, c.input());
        return c.name() + ": " + problem + " (kiln " + String.join(" ", c.args()) + "; input kept in " + saved + ")";
    }

    @Test
    void damagedInputsThroughKilnRunEndCleanly() throws Exception {
        assumeTrue(Backends.host() != null, "no native tier here");
        List<Case> cases = new ArrayList<>(mutatedModules(400, 20261206));
        cases.addAll(damagedCacheEntries(150, 20261207));
        List<String> findings = runForked(cases);
        assertTrue(findings.isEmpty(), findings.size() + " findings:\n" + String.join("\n", findings));
    }

    @Test
    @Tag("slow")
    void manyDamagedInputsThroughKilnRunEndCleanly() throws Exception {
        assumeTrue(Backends.host() != null, "no native tier here");
        long seed = System.nanoTime();
        System.out.println("MutatedInputsThroughKilnTest: seed " + seed);
        List<Case> cases = new ArrayList<>(mutatedModules(20_000, seed));
        cases.addAll(damagedCacheEntries(3_000, seed + 1));
        List<String> findings = runForked(cases);
        assertTrue(findings.isEmpty(), findings.size() + " findings:\n" + String.join("\n", findings));
    }
}
