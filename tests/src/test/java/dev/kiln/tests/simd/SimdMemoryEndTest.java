package dev.kiln.tests.simd;

import dev.kiln.frontend.text.WatParser;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.Target;
import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.MemoryInstance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.internal.HostCpu;
import dev.kiln.tests.api.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every SIMD load and store (v128.load/store, the extending, splat and zero-filling loads, the lane
 * loads and stores) at the end of linear memory, on every tier: at addresses where the access ends
 * just inside, exactly at and just past the end, with static offsets from 0 to 2^32-1 (address +
 * offset past 4 GiB), for a growable memory before and after memory.grow, a memory that cannot
 * grow, and an empty one. The expected outcome is computed here from the spec, not taken from a
 * tier: the access traps with "out of bounds memory access" exactly when address + offset + width
 * exceeds the memory's size, a trapping store writes nothing, and a load returns the bytes the
 * spec says (lane-extended, splatted, zero-filled or inserted into the given vector).
 */
class SimdMemoryEndTest {
    /** An access: its instruction, bytes accessed, and the lane of the lane forms (-1: none). */
    record Access(String op, int width, Kind kind, int lane) {
        String name(int offsetIndex) {
            return op.replace('.', '_') + "_" + offsetIndex;
        }
    }

    enum Kind { LOAD, EXTEND_S, EXTEND_U, SPLAT, ZERO, LOAD_LANE, STORE, STORE_LANE }

    static final List<Access> ACCESSES = List.of(
            new Access("v128.load", 16, Kind.LOAD, -1),
            new Access("v128.load8x8_s", 8, Kind.EXTEND_S, -1),
            new Access("v128.load8x8_u", 8, Kind.EXTEND_U, -1),
            new Access("v128.load16x4_s", 8, Kind.EXTEND_S, -1),
            new Access("v128.load16x4_u", 8, Kind.EXTEND_U, -1),
            new Access("v128.load32x2_s", 8, Kind.EXTEND_S, -1),
            new Access("v128.load32x2_u", 8, Kind.EXTEND_U, -1),
            new Access("v128.load8_splat", 1, Kind.SPLAT, -1),
            new Access("v128.load16_splat", 2, Kind.SPLAT, -1),
            new Access("v128.load32_splat", 4, Kind.SPLAT, -1),
            new Access("v128.load64_splat", 8, Kind.SPLAT, -1),
            new Access("v128.load32_zero", 4, Kind.ZERO, -1),
            new Access("v128.load64_zero", 8, Kind.ZERO, -1),
            new Access("v128.load8_lane", 1, Kind.LOAD_LANE, 13),
            new Access("v128.load16_lane", 2, Kind.LOAD_LANE, 6),
            new Access("v128.load32_lane", 4, Kind.LOAD_LANE, 3),
            new Access("v128.load64_lane", 8, Kind.LOAD_LANE, 1),
            new Access("v128.store", 16, Kind.STORE, -1),
            new Access("v128.store8_lane", 1, Kind.STORE_LANE, 9),
            new Access("v128.store16_lane", 2, Kind.STORE_LANE, 5),
            new Access("v128.store32_lane", 4, Kind.STORE_LANE, 2),
            new Access("v128.store64_lane", 8, Kind.STORE_LANE, 1));

    /** Static offsets: none, small, within a page of the end of a one-page memory, and the largest. */
    static final long[] OFFSETS = {0, 3, 65_520, 0xFFFF_FFFFL};

    /** The vector lane loads insert into, and the vector stores write (bytes 0x81..0x90). */
    static final byte[] OLD = {(byte) 0xEF, (byte) 0xCD, (byte) 0xAB, (byte) 0x89, 0x67, 0x45, 0x23, 0x01,
            0x10, 0x32, 0x54, 0x76, (byte) 0x98, (byte) 0xBA, (byte) 0xDC, (byte) 0xFE};
    static final byte[] STORED = new byte[16];

    static {
        for (int k = 0; k < 16; k++) STORED[k] = (byte) (0x81 + k);
    }

    static String wat(String memory) {
        StringBuilder w = new StringBuilder("(module\n  (memory (export \"mem\") ").append(memory).append(")\n");
        w.append("  (func (export \"grow\") (result i32) (memory.grow (i32.const 1)))\n");
        for (Access a : ACCESSES) {
            for (int k = 0; k < OFFSETS.length; k++) {
                String ins = a.op + " offset=" + OFFSETS[k] + (a.lane >= 0 ? " " + a.lane : "");
                String old = "(v128.const i8x16" + bytes(OLD) + ")";
                String value = "(v128.const i8x16" + bytes(STORED) + ")";
                w.append("  (func (export \"").append(a.name(k)).append("\") (param i32)");
                switch (a.kind) {
                    case STORE, STORE_LANE -> w.append(" (").append(ins).append(" (local.get 0) ").append(value).append("))\n");
                    default -> {
                        String load = "(" + ins + " (local.get 0)" + (a.kind == Kind.LOAD_LANE ? " " + old : "") + ")";
                        w.append(" (result i64 i64) (local v128) (local.set 1 ").append(load).append(")")
                                .append(" (i64x2.extract_lane 0 (local.get 1)) (i64x2.extract_lane 1 (local.get 1)))\n");
                    }
                }
            }
        }
        return w.append(")").toString();
    }

    private static String bytes(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(' ').append(x & 0xFF);
        return s.toString();
    }

    /** What the spec says a load returns, from the memory bytes it reads. */
    static byte[] expectedLoad(Access a, byte[] read) {
        byte[] v = new byte[16];
        switch (a.kind) {
            case LOAD, ZERO -> System.arraycopy(read, 0, v, 0, read.length);
            case SPLAT -> {
                for (int k = 0; k < 16; k++) v[k] = read[k % read.length];
            }
            case LOAD_LANE -> {
                System.arraycopy(OLD, 0, v, 0, 16);
                System.arraycopy(read, 0, v, a.lane * a.width, a.width);
            }
            case EXTEND_S, EXTEND_U -> {
                int from = a.op.contains("8x8") ? 1 : a.op.contains("16x4") ? 2 : 4;
                for (int lane = 0; lane < 8 / from; lane++) {
                    boolean negative = a.kind == Kind.EXTEND_S && read[lane * from + from - 1] < 0;
                    for (int k = 0; k < 2 * from; k++) {
                        v[lane * 2 * from + k] = k < from ? read[lane * from + k] : negative ? (byte) 0xFF : 0;
                    }
                }
            }
            default -> throw new IllegalArgumentException(a.op);
        }
        return v;
    }

    /** The addresses tried for an access ending around {@code size}, plus far ones. */
    static long[] addresses(long size, long offset, int width) {
        TreeSet<Long> out = new TreeSet<>(List.of(0L, 1L, size, size - 1, 0x8000_0000L, 0xFFFF_FFF0L, 0xFFFF_FFFFL));
        for (long d : new long[] {-17, -16, -2, -1, 0, 1, 2, width - 1L, width, 15, 16}) out.add(size - offset - width + d);
        return out.stream().mapToLong(Long::longValue).filter(x -> x >= 0 && x <= 0xFFFF_FFFFL).toArray();
    }

    /** A pattern for the whole memory, different at every address near the end. */
    static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int k = 0; k < size; k++) b[k] = (byte) (k * 31 + (k >>> 8) * 7 + 5);
        return b;
    }

    static Store store(String tier) {
        return switch (tier) {
            case "interp" -> new Store().tier(Tier.INTERP);
            case "native" -> new Store().tier(Tier.NATIVE);
            case "native-x86_64-v2" -> new Store().tier(Tier.NATIVE).cpu(CodeTarget.X86_64_V2);
            case "auto" -> Engines.of(Tier.AUTO, 1, 1, false).newStore();
            default -> throw new IllegalArgumentException(tier);
        };
    }

    static void runsHere(String tier) {
        assumeTrue(tier.equals("native") || Target.host() == Target.X86_64, "only native code is tested in the AArch64 JVM");
        if (tier.equals("native-x86_64-v2")) {
            assumeTrue(HostCpu.level() != null && HostCpu.level().includes(CpuFeatures.X86_64_V2), "needs an x86-64-v2 machine");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "native", "native-x86_64-v2", "auto"})
    void growableMemoryBeforeAndAfterGrowing(String tier) {
        runsHere(tier);
        check(tier, "1", 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "native", "native-x86_64-v2", "auto"})
    void memoryThatCannotGrow(String tier) {
        runsHere(tier);
        check(tier, "1 1", 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "native", "native-x86_64-v2", "auto"})
    void emptyMemoryThenOnePage(String tier) {
        runsHere(tier);
        check(tier, "0 3", 2);
    }

    /** Runs every access at every address for the memory as declared and after each of {@code states - 1} grows. */
    private static void check(String tier, String memory, int states) {
        List<String> failures = new ArrayList<>();
        int calls = 0;
        try (Store store = store(tier)) {
            Instance instance = store.instantiate(WasmModule.of(WatParser.parse(wat(memory), "simd-memory-end.wat").binary()), new Imports());
            MemoryInstance mem = (MemoryInstance) instance.exports().get("mem");
            for (int state = 0; state < states; state++) {
                if (state > 0) ((FunctionInstance) instance.exports().get("grow")).call();
                long size = mem.byteSize();
                for (Access a : ACCESSES) {
                    for (int k = 0; k < OFFSETS.length; k++) {
                        FunctionInstance f = (FunctionInstance) instance.exports().get(a.name(k));
                        for (long address : addresses(size, OFFSETS[k], a.width)) {
                            calls++;
                            String where = a.op + " offset=" + OFFSETS[k] + " at " + address + " (memory " + size + " bytes)";
                            String problem = checkOne(f, a, mem, size, address, OFFSETS[k]);
                            if (problem != null && failures.size() < 20) failures.add(where + ": " + problem);
                        }
                    }
                }
            }
        }
        if (!failures.isEmpty()) fail(tier + ": " + failures.size() + " of " + calls + " accesses wrong:\n" + String.join("\n", failures));
        assertEquals(true, calls > 1000, "too few accesses tried: " + calls);
    }

    private static String checkOne(FunctionInstance f, Access a, MemoryInstance mem, long size, long address, long offset) {
        byte[] before = pattern((int) size);
        if (size > 0) mem.write(0, before, 0, before.length);
        long end = address + offset + a.width;
        boolean inBounds = end <= size;
        long[] got;
        try {
            got = f.call(address);
        } catch (WasmTrap t) {
            if (inBounds) return "trapped (" + t.getMessage() + "), expected no trap";
            if (t.kind() != TrapKind.OUT_OF_BOUNDS_MEMORY) return "trapped with " + t.kind() + ", expected out of bounds";
            return unchanged(mem, before, "a trapping access");
        }
        if (!inBounds) return "did not trap";
        int at = (int) (address + offset);
        boolean store = a.kind == Kind.STORE || a.kind == Kind.STORE_LANE;
        if (store) {
            byte[] expected = before.clone();
            System.arraycopy(STORED, a.lane < 0 ? 0 : a.lane * a.width, expected, at, a.width);
            return unchanged(mem, expected, "the store");
        }
        byte[] want = expectedLoad(a, Arrays.copyOfRange(before, at, at + a.width));
        byte[] was = new byte[16];
        for (int k = 0; k < 16; k++) was[k] = (byte) (got[k / 8] >>> (8 * (k % 8)));
        if (!Arrays.equals(want, was)) return "loaded " + hex(was) + ", expected " + hex(want);
        return unchanged(mem, before, "the load");
    }

    private static String unchanged(MemoryInstance mem, byte[] expected, String what) {
        if (expected.length == 0) return null;
        byte[] now = new byte[expected.length];
        mem.read(0, now, 0, now.length);
        if (Arrays.equals(expected, now)) return null;
        int k = Arrays.mismatch(expected, now);
        return what + " left byte " + k + " = " + (now[k] & 0xFF) + ", expected " + (expected[k] & 0xFF);
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x", x & 0xFF));
        return s.toString();
    }

    @Test
    void theExpectedLoadsFollowTheSpec() {
        // the computed expectations distinguish in-bounds from trapping calls and loads from the pattern
        assertArrayEquals(new byte[] {5, 0, 5, 0, 5, 0, 5, 0, 5, 0, 5, 0, 5, 0, 5, 0},
                expectedLoad(new Access("v128.load16_splat", 2, Kind.SPLAT, -1), new byte[] {5, 0}));
        assertArrayEquals(new byte[] {(byte) 0x80, (byte) 0xFF, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                Arrays.copyOf(expectedLoad(new Access("v128.load8x8_s", 8, Kind.EXTEND_S, -1),
                        new byte[] {(byte) 0x80, 1, 0, 0, 0, 0, 0, 0}), 16));
    }
}
