package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln run} on each tier, its statistics, and the code cache it reads and writes ({@code compile}, {@code cache}). */
@EnabledIfSystemProperty(named = "os.arch", matches = "amd64|x86_64")
class TieredRunCommandTest {
    @TempDir
    Path dir;
    Path module;
    Path cache;

    @BeforeEach
    void writeModule() throws Exception {
        module = dir.resolve("sum.wasm");
        Files.write(module, Wat.compile("""
                (module
                  (func $add (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
                  (func (export "sum") (param $n i32) (result i32) (local $acc i32)
                    (block $done (loop $again
                      (br_if $done (i32.eqz (local.get $n)))
                      (local.set $acc (call $add (local.get $acc) (local.get $n)))
                      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                      (br $again)))
                    (local.get $acc)))
                """));
        cache = dir.resolve("cache");
    }

    private CliRunner run(String... options) {
        List<String> args = new ArrayList<>(List.of("run", "--cache-dir", cache.toString()));
        args.addAll(List.of(options));
        args.addAll(List.of("--invoke", "sum", module.toString(), "1000"));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private List<Path> cacheFiles() throws Exception {
        if (!Files.isDirectory(cache)) return List.of();
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".o")).toList();
        }
    }

    @Test
    void everyTierGivesTheSameResult() {
        for (String tier : List.of("interp", "native", "auto")) {
            CliRunner r = run("--tier", tier);
            assertEquals(0, r.exit(), tier + ": " + r.err());
            assertEquals("500500\n", r.out(), tier);
        }
        CliRunner bad = run("--tier", "jit");
        assertEquals(Main.USAGE, bad.exit());
        assertTrue(bad.err().contains("unknown tier 'jit'"), bad.err());
    }

    @Test
    void statsFollowOptionsThatTakeValues() {
        CliRunner r = run("--tier", "interp", "--stats");
        assertEquals(0, r.exit(), r.err());
        assertEquals("500500\n", r.out());
        assertTrue(r.err().contains("kiln stats: 2 functions: 2 interpreted, 0 promoted to native"), r.err());
    }

    @Test
    void hotFunctionsArePromotedAndReportedAsJson() throws Exception {
        CliRunner r = run("--hot-calls", "10", "--hot-loops", "100000", "--jit-sync", "--no-cache-write", "--stats=json");
        assertEquals(0, r.exit(), r.err());
        assertEquals("500500\n", r.out());
        JsonNode stats = new ObjectMapper().readTree(r.err());
        assertEquals(2, stats.get("functions").asInt());
        assertEquals(1, stats.get("promoted").asInt(), "only $add is called often enough: " + r.err());
        assertTrue(stats.get("firstInstructionMillis").asLong() > 0);
        JsonNode add = null, sum = null;
        for (JsonNode h : stats.get("top")) {
            if (h.get("index").asInt() == 0) add = h;
            if (h.get("index").asInt() == 1) sum = h;
        }
        assertTrue(add.get("calls").asLong() >= 10 && add.get("nativeNow").asBoolean(), r.err());
        assertEquals(1000, sum.get("backEdges").asLong(), r.err());
        assertFalse(sum.get("nativeNow").asBoolean(), r.err());
        assertEquals(List.of(), cacheFiles(), "--no-cache-write leaves the cache alone");
    }

    @Test
    void theNativeTierStoresCodeThatTheAutoTierThenBindsLazily() throws Exception {
        assertEquals(0, run("--tier", "native").exit());
        assertEquals(1, cacheFiles().size());
        CliRunner r = run("--stats=json");
        assertEquals("500500\n", r.out());
        JsonNode stats = new ObjectMapper().readTree(r.err());
        // only the entered function is bound: it reaches its callee by a direct call inside the mapped text
        assertEquals(1, stats.get("boundFromCache").asInt(), r.err());
        assertEquals(0, stats.get("compiled").asInt(), r.err());
    }

    @Test
    void aCorruptCacheEntryIsReportedRemovedAndRebuiltNeverRun() throws Exception {
        assertEquals(0, run("--tier", "native").exit());
        Path object = cacheFiles().get(0);
        byte[] good = Files.readAllBytes(object);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x5A; // inside the code: its block's digest catches it before the block first runs
        Files.write(object, bad);
        CliRunner r = run("--tier", "native");
        assertNotEquals(0, r.exit(), r.err());
        assertEquals("", r.out(), "nothing of the damaged block ran");
        assertTrue(r.err().contains("is damaged") && r.err().contains("never run") && r.err().contains("entry removed"), r.err());
        assertEquals(List.of(), cacheFiles());
        CliRunner again = run("--tier", "native");
        assertEquals(0, again.exit(), again.err());
        assertEquals("500500\n", again.out());
        assertArrayEquals(good, Files.readAllBytes(cacheFiles().get(0)), "rebuilt entry is the same object again");
        CliRunner verify = CliRunner.run("cache", "verify", "--cache-dir", cache.toString());
        assertTrue(verify.out().contains("1 valid entries, 0 problems"), verify.out());
    }

    @Test
    void aTruncatedCacheEntryIsRebuiltToo() throws Exception {
        assertEquals(0, run("--tier", "native").exit());
        Path object = cacheFiles().get(0);
        Files.write(object, Arrays.copyOf(Files.readAllBytes(object), 100));
        CliRunner r = run("--tier", "auto", "--stats=json");
        assertEquals("500500\n", r.out());
        assertTrue(r.err().contains("ignoring corrupt cache entry"), r.err());
    }

    @Test
    void compileFillsTheCacheAndCacheListsVerifiesAndClearsIt() throws Exception {
        CliRunner c = CliRunner.run("compile", "--cache-dir", cache.toString(), module.toString());
        assertEquals(0, c.exit(), c.err());
        assertEquals(1, cacheFiles().size());
        CliRunner list = CliRunner.run("cache", "list", "--cache-dir", cache.toString());
        assertTrue(list.out().contains(": 1 entries"), list.out());
        CliRunner r = run("--stats=json");
        assertEquals("500500\n", r.out());
        assertEquals(1, new ObjectMapper().readTree(r.err()).get("boundFromCache").asInt(), r.err());
        CliRunner clear = CliRunner.run("cache", "clear", "--cache-dir", cache.toString());
        assertTrue(clear.out().contains("removed 1 entries"), clear.out());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void compileWritesAnElfObjectForEachTarget() throws Exception {
        Path out = dir.resolve("sum.o");
        CliRunner c = CliRunner.run("compile", "-o", out.toString(), "--target", Target.host() == Target.X86_64 ? "x86_64" : "aarch64",
                module.toString());
        assertEquals(0, c.exit(), c.err());
        byte[] elf = Files.readAllBytes(out);
        assertEquals(0x7F, elf[0]);
        assertEquals('E', elf[1]);
        assertFalse(Files.exists(dir.resolve("sum.o.tmp")));
    }
}
