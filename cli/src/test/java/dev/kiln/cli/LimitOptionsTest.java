package dev.kiln.cli;

import dev.kiln.frontend.testing.Wat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kiln run --fuel, --timeout, --max-memory, --max-table-elements, --max-wasm-stack} on each tier. */
@EnabledIfSystemProperty(named = "os.arch", matches = "amd64|x86_64")
class LimitOptionsTest {
    private static final List<String> TIERS = List.of("interp", "native", "auto");
    @TempDir
    Path dir;
    Path module;

    @BeforeEach
    void writeModule() throws Exception {
        module = dir.resolve("limits.wasm");
        Files.write(module, Wat.compile("""
                (module
                  (memory 1)
                  (table 1 funcref)
                  (func (export "spin") (loop $l (br $l)))
                  (func (export "count") (param $n i32) (result i32) (local $i i32)
                    (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
                    (local.get $i))
                  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
                  (func (export "growTable") (param i32) (result i32) (table.grow 0 (ref.null func) (local.get 0)))
                  (func $depth (export "depth") (param i32) (result i32)
                    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                      (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get 0) (i32.const 1))))))))
                """));
    }

    private CliRunner run(String tier, String... rest) {
        List<String> args = new ArrayList<>(List.of("run", "--no-cache", "--tier", tier));
        args.addAll(List.of(rest));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void fuelIsExactOnEveryTier() {
        for (String tier : TIERS) {
            // count(100): 1 entry + 99 back-edges
            CliRunner enough = run(tier, "--fuel", "100", "--invoke", "count", module.toString(), "100");
            assertEquals("100\n", enough.out(), tier + ": " + enough.err());
            CliRunner shortOne = run(tier, "--fuel", "99", "--invoke", "count", module.toString(), "100");
            assertEquals(RunCommand.TRAP_EXIT, shortOne.exit(), tier);
            assertTrue(shortOne.err().contains("wasm trap: out of fuel\n  at count (func 1)"), tier + ": " + shortOne.err());
        }
        assertEquals(Main.USAGE, run("interp", "--fuel", "-1", "--invoke", "count", module.toString(), "1").exit());
    }

    @Test
    void aTimeoutStopsAnEndlessLoopOnEveryTier() {
        for (String tier : TIERS) {
            long start = System.nanoTime();
            CliRunner r = run(tier, "--timeout", "200", "--invoke", "spin", module.toString());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(RunCommand.TRAP_EXIT, r.exit(), tier);
            assertTrue(r.err().contains("wasm trap: interrupted") && r.err().contains("--timeout 200 ms expired"), r.err());
            // the point is that it stops: a loaded 2-core machine took 5.7 s to compile and stop once
            assertTrue(ms < 30_000, tier + " took " + ms + " ms");
        }
    }

    @Test
    void capsMakeGrowthFail() {
        for (String tier : TIERS) {
            assertEquals("1\n", run(tier, "--max-memory", "131072", "--invoke", "grow", module.toString(), "1").out(), tier);
            assertEquals("-1\n", run(tier, "--max-memory", "131072", "--invoke", "grow", module.toString(), "2").out(), tier);
            assertEquals("1\n", run(tier, "--max-table-elements", "3", "--invoke", "growTable", module.toString(), "2").out(), tier);
            assertEquals("-1\n", run(tier, "--max-table-elements", "3", "--invoke", "growTable", module.toString(), "3").out(), tier);
        }
        CliRunner tooSmall = run("interp", "--max-memory", "1000", "--invoke", "grow", module.toString(), "0");
        assertEquals(1, tooSmall.exit());
        assertTrue(tooSmall.err().contains("cannot instantiate: memory of 1 pages exceeds the limit of 0 pages"), tooSmall.err());
    }

    /**
     * A 64-bit memory grows past 4 GiB unless --max-memory says otherwise, as in wasmtime (no default cap);
     * a 32-bit one stops at 4 GiB, its address space. Growth only commits address space: nothing is touched.
     */
    @Test
    void withoutMaxMemoryA64BitMemoryGrowsPast4GiB() throws Exception {
        Path memory64 = dir.resolve("memory64.wasm");
        Files.write(memory64, Wat.compile("""
                (module
                  (memory i64 1)
                  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
                  (func (export "above4GiB") (result i32)
                    (if (i64.lt_s (memory.grow (i64.const 65540)) (i64.const 0)) (then (return (i32.const -1))))
                    (i32.store (i64.const 0x100001000) (i32.const 77))
                    (i32.load (i64.const 0x100001000))))
                """));
        String past4GiB = Long.toString(65536 + 4); // pages: 4 GiB + 5 pages in all
        for (String tier : TIERS) {
            assertEquals("1\n", run(tier, "--invoke", "grow", memory64.toString(), past4GiB).out(), tier);
            assertEquals("-1\n", run(tier, "--max-memory", Long.toString(4L << 30), "--invoke", "grow", memory64.toString(), past4GiB).out(),
                    tier);
            assertEquals("-1\n", run(tier, "--invoke", "grow", memory64.toString(), Long.toString(2 * 65536)).out(), tier + ": past 8 GiB");
            assertEquals("-1\n", run(tier, "--invoke", "grow", module.toString(), "65536").out(), tier + ": a 32-bit memory past 4 GiB");
            assertEquals("77\n", run(tier, "--invoke", "above4GiB", memory64.toString()).out(), tier + ": a store above 4 GiB");
        }
    }

    @Test
    void theWasmStackIsWhatTheOptionSaysOnEveryTier() {
        for (String tier : TIERS) {
            // 10 000 frames of a few words each: past 64 KiB, well within 4 MiB
            CliRunner small = run(tier, "--max-wasm-stack", "65536", "--invoke", "depth", module.toString(), "10000");
            assertEquals(RunCommand.TRAP_EXIT, small.exit(), tier + ": " + small.out() + small.err());
            assertTrue(small.err().contains("wasm trap: call stack exhausted"), tier + ": " + small.err());
            CliRunner large = run(tier, "--max-wasm-stack", "4194304", "--invoke", "depth", module.toString(), "10000");
            assertEquals("10000\n", large.out(), tier + ": " + large.err());
        }
        assertEquals(Main.USAGE, run("interp", "--max-wasm-stack", "0", "--invoke", "depth", module.toString(), "1").exit());
    }
}
