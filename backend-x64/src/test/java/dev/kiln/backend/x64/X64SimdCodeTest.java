package dev.kiln.backend.x64;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.text.WatParser;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The code the SIMD lowering picks, instruction by instruction: the single instruction that
 * matches a shuffle pattern, constants by the zero idiom, all ones without a load or a pool
 * operand, short bitmask/any_true/all_true, shifts by constants as immediates, vector values that
 * stay in registers, and the SSE and VEX forms of the same sequence.
 */
class X64SimdCodeTest {
    private static final CpuFeatures SSE = CpuFeatures.X86_64_V2;
    private static final CpuFeatures AVX = CpuFeatures.X86_64_V3;

    /** The body of function 0 of {@code wat}: the instructions after the prologue's checks, up to the jump to the epilogue. */
    private static List<String> body(String wat, CpuFeatures cpu) {
        ValidatedModule vm = ValidatedModule.of(WatParser.parse(wat, "test.wat").binary());
        MachineCode mc = X64Backend.forCpu(cpu).compile(vm, SymbolNames.of(vm.module()), 0, CodeOptions.DEFAULT, true);
        List<String> out = new ArrayList<>();
        boolean started = false;
        for (String line : mc.listing()) {
            String text = X64CompiledListingTest.normalize(line.contains("  ; ") ? line.substring(0, line.indexOf("  ; ")) : line);
            String insn = text.substring(text.indexOf(':') + 1).trim();
            if (!started) {
                started = insn.startsWith("jb"); // the stack check ends the prologue (a function without calls checks no interruption)
                continue;
            }
            if (insn.startsWith("jmp") || insn.startsWith("leave")) break;
            out.add(insn.replaceAll("\\[rip\\+0x[0-9a-f]+\\]", "[rip+C]"));
        }
        return out;
    }

    private static String binary(String op) {
        return "(module (func (param v128 v128) (result v128) (" + op + " (local.get 0) (local.get 1))))";
    }

    private static String shuffle(String lanes) {
        return binary("i8x16.shuffle " + lanes);
    }

    @Test
    void shufflesPickOneInstructionWhereOneMatches() {
        assertEquals(List.of(), body(shuffle("0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15"), AVX)); // identity: a stays in xmm0
        assertEquals(List.of("vpshufd xmm0,xmm0,0x1b"), body(shuffle("12 13 14 15 8 9 10 11 4 5 6 7 0 1 2 3"), AVX));
        assertEquals(List.of("vpshufd xmm0,xmm1,0x4e"), body(shuffle("24 25 26 27 28 29 30 31 16 17 18 19 20 21 22 23"), AVX));
        assertEquals(List.of("vpshuflw xmm0,xmm0,0x1b"), body(shuffle("6 7 4 5 2 3 0 1 8 9 10 11 12 13 14 15"), AVX));
        assertEquals(List.of("vpshufhw xmm0,xmm0,0xb1"), body(shuffle("0 1 2 3 4 5 6 7 10 11 8 9 14 15 12 13"), AVX));
        assertEquals(List.of("vpalignr xmm0,xmm0,xmm0,0x3"), body(shuffle("3 4 5 6 7 8 9 10 11 12 13 14 15 0 1 2"), AVX));
        assertEquals(List.of("vpunpcklbw xmm0,xmm0,xmm1"), body(shuffle("0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23"), AVX));
        assertEquals(List.of("vpunpckhwd xmm0,xmm1,xmm0"), body(shuffle("24 25 8 9 26 27 10 11 28 29 12 13 30 31 14 15"), AVX));
        assertEquals(List.of("vpunpcklqdq xmm0,xmm0,xmm1"), body(shuffle("0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23"), AVX));
        assertEquals(List.of("vpalignr xmm0,xmm1,xmm0,0x5"), body(shuffle("5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"), AVX));
        assertEquals(List.of("vshufps xmm0,xmm0,xmm1,0x21"), body(shuffle("4 5 6 7 0 1 2 3 24 25 26 27 16 17 18 19"), AVX));
        assertEquals(List.of("vpblendw xmm0,xmm0,xmm1,0xaa"), body(shuffle("0 1 18 19 4 5 22 23 8 9 26 27 12 13 30 31"), AVX));
        assertEquals(List.of("pshufd xmm0,xmm0,0x1b"), body(shuffle("12 13 14 15 8 9 10 11 4 5 6 7 0 1 2 3"), SSE));
        assertEquals(List.of("pblendw xmm0,xmm1,0xaa"), body(shuffle("0 1 18 19 4 5 22 23 8 9 26 27 12 13 30 31"), SSE));
    }

    @Test
    void aGeneralShuffleIsTwoPshufbAndAnOr() {
        assertEquals(List.of("vpshufb xmm15,xmm0,XMMWORD PTR [rip+C]", "vpshufb xmm14,xmm1,XMMWORD PTR [rip+C]", "vpor xmm0,xmm15,xmm14"),
                body(shuffle("0 17 5 30 1 1 2 20 9 9 9 31 0 16 3 3"), AVX));
        assertEquals(List.of("vpshufb xmm0,xmm0,XMMWORD PTR [rip+C]"), body(shuffle("0 5 5 3 1 1 2 2 9 9 9 15 0 6 3 3"), AVX));
    }

    private static String withZero(String lanes, boolean zeroFirst) {
        String x = "(local.get 0)", zero = "(v128.const i64x2 0 0)";
        return "(module (func (param v128) (result v128) (i8x16.shuffle " + lanes + " " + (zeroFirst ? zero + " " + x : x + " " + zero) + ")))";
    }

    /** A shuffle with v128.const 0 (clang's u8 to u16/u32 widening): the zero lanes match any index into zero. */
    @Test
    void aShuffleWithZeroIsOneInstruction() {
        // blur's widening: zero first, zero lanes with arbitrary indices (1, 3, 5, ...)
        assertEquals(List.of("vpmovzxbw xmm0,xmm0"), body(withZero("16 1 17 3 18 5 19 7 20 9 21 11 22 13 23 15", true), AVX));
        assertEquals(List.of("pmovzxbw xmm0,xmm0"), body(withZero("16 1 17 3 18 5 19 7 20 9 21 11 22 13 23 15", true), SSE));
        // YUV's bytes to dwords
        assertEquals(List.of("vpmovzxbd xmm0,xmm0"), body(withZero("0 17 18 19 1 20 21 22 2 16 16 16 3 31 30 29", false), AVX));
        assertEquals(List.of("vpmovzxwq xmm0,xmm0"), body(withZero("0 1 16 16 16 16 16 16 2 3 16 16 16 16 16 16", false), AVX));
        // the high half interleaved with zero, which it reads from the pool (no register, no zeroing)
        assertEquals(List.of("vpunpckhbw xmm0,xmm0,XMMWORD PTR [rip+C]"), body(withZero("8 17 9 19 10 21 11 23 12 25 13 27 14 29 15 31", false), AVX));
        assertEquals(List.of("punpckhwd xmm0,XMMWORD PTR [rip+C]"), body(withZero("8 9 16 17 10 11 31 31 12 13 20 21 14 15 22 23", false), SSE));
        // whole-register byte shifts
        assertEquals(List.of("vpsrldq xmm0,xmm0,0x4"), body(withZero("4 5 6 7 8 9 10 11 12 13 14 15 16 16 16 16", false), AVX));
        assertEquals(List.of("vpslldq xmm0,xmm0,0x3"), body(withZero("0 0 0 16 17 18 19 20 21 22 23 24 25 26 27 28", true), AVX));
        // anything else: one pshufb, the zero lanes by index 0x80
        assertEquals(List.of("vpshufb xmm0,xmm0,XMMWORD PTR [rip+C]"), body(withZero("3 16 7 2 16 16 9 1 0 0 0 31 5 6 16 4", false), AVX));
    }

    @Test
    void constantsUseIdiomsOrThePool() {
        String zero = "(module (func (result v128) (v128.const i64x2 0 0)))";
        assertEquals(List.of("vpxor xmm0,xmm0,xmm0"), body(zero, AVX));
        assertEquals(List.of("pxor xmm0,xmm0"), body(zero, SSE));
        String ones = "(module (func (result v128) (v128.const i64x2 -1 -1)))";
        assertEquals(List.of("vpcmpeqd xmm0,xmm0,xmm0"), body(ones, AVX));
        // a constant operand is read from the pool by the instruction itself, with no register
        String add = "(module (func (param v128) (result v128) (i8x16.add (local.get 0) (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16))))";
        assertEquals(List.of("vpaddb xmm0,xmm0,XMMWORD PTR [rip+C]"), body(add, AVX));
        assertEquals(List.of("paddb xmm0,XMMWORD PTR [rip+C]"), body(add, SSE));
    }

    @Test
    void reductionsAreShort() {
        String any = "(module (func (param v128) (result i32) (v128.any_true (local.get 0))))";
        // the byte register is the allocator's choice (SIMD instructions keep RAX, RCX and RDX free)
        assertEquals("vptest xmm0,xmm0", body(any, AVX).get(0));
        assertTrue(body(any, AVX).get(1).matches("setne [a-z0-9]+"), body(any, AVX).toString());
        String all = "(module (func (param v128) (result i32) (i32x4.all_true (local.get 0))))";
        assertEquals(List.of("vpxor xmm15,xmm15,xmm15", "vpcmpeqd xmm15,xmm15,xmm0", "vptest xmm15,xmm15"),
                body(all, AVX).subList(0, 3));
        assertTrue(body(all, AVX).get(3).matches("sete [a-z0-9]+"), body(all, AVX).toString());
        String mask = "(module (func (param v128) (result i32) (i8x16.bitmask (local.get 0))))";
        assertTrue(body(mask, AVX).get(0).matches("vpmovmskb e[a-z]+,xmm0"), body(mask, AVX).toString());
        String mask16 = "(module (func (param v128) (result i32) (i16x8.bitmask (local.get 0))))";
        assertEquals(List.of("vpacksswb xmm15,xmm0,xmm0"), body(mask16, AVX).subList(0, 1));
        assertTrue(String.join(";", body(mask16, AVX)).matches("vpacksswb xmm15,xmm0,xmm0;vpmovmskb (e..),xmm15;shr \\1,0x8(;mov rax,r..)?"),
                body(mask16, AVX).toString());
    }

    @Test
    void shiftsByConstantsAreImmediates() {
        String shl = "(module (func (param v128) (result v128) (i32x4.shl (local.get 0) (i32.const 35))))";
        assertEquals(List.of("vpslld xmm0,xmm0,0x3"), body(shl, AVX));
        assertEquals(List.of("pslld xmm0,0x3"), body(shl, SSE));
        String bytes = "(module (func (param v128) (result v128) (i8x16.shl (local.get 0) (i32.const 2))))";
        assertEquals(List.of("vpsllw xmm0,xmm0,0x2", "vpand xmm0,xmm0,XMMWORD PTR [rip+C]"), body(bytes, AVX));
    }

    @Test
    void splatsBroadcastWithAvx2() {
        String splat = "(module (func (param i32) (result v128) (i32x4.splat (local.get 0))))";
        assertEquals("vpbroadcastd xmm0,xmm15", body(splat, AVX).getLast());
        assertEquals("pshufd xmm0,xmm15,0x0", body(splat, SSE).getLast());
    }

    /**
     * With guard pages every SIMD access to memory 0 is one instruction on {@code [r14+addr+offset]}
     * with no bounds check, recorded as a trap site; with explicit bounds it is compared first.
     */
    @Test
    void simdAccessesToMemoryZeroAreGuardPageSites() {
        String[] accesses = {"(v128.load8_lane offset=7 3 (local.get 0) (local.get 1))", "(v128.load16_lane 1 (local.get 0) (local.get 1))",
                "(v128.load32_lane 2 (local.get 0) (local.get 1))", "(v128.load64_lane 1 (local.get 0) (local.get 1))",
                "(v128.load8x8_s (local.get 0))", "(v128.load16x4_u (local.get 0))", "(v128.load32x2_u offset=9 (local.get 0))",
                "(v128.load8_splat (local.get 0))", "(v128.load16_splat (local.get 0))", "(v128.load32_splat (local.get 0))",
                "(v128.load64_splat (local.get 0))", "(v128.load32_zero (local.get 0))", "(v128.load64_zero (local.get 0))",
                "(v128.load (local.get 0))"};
        for (CpuFeatures cpu : List.of(SSE, AVX)) {
            for (String access : accesses) {
                String wat = "(module (memory 1) (func (param i32 v128) (result v128) " + access + "))";
                assertGuarded(wat, cpu, 1);
            }
            for (String store : List.of("v128.store8_lane offset=3 5", "v128.store16_lane 0", "v128.store32_lane 3", "v128.store32_lane 0",
                    "v128.store64_lane offset=3 1", "v128.store64_lane 0", "v128.store offset=3")) {
                String wat = "(module (memory 1) (func (param i32 v128) (" + store + " (local.get 0) (local.get 1))))";
                assertGuarded(wat, cpu, 1);
            }
        }
        String lane = "(module (memory 1) (func (param i32 v128) (result v128) (v128.load8_lane 3 (local.get 0) (local.get 1))))";
        ValidatedModule vm = ValidatedModule.of(WatParser.parse(lane, "test.wat").binary());
        MachineCode explicit = X64Backend.forCpu(AVX).compile(vm, SymbolNames.of(vm.module()), 0, CodeOptions.DEFAULT.withExplicitBounds(), true);
        assertTrue(String.join("\n", explicit.listing()).contains("trap_out_of_bounds_memory"), "explicit bounds check a lane load");
    }

    private static void assertGuarded(String wat, CpuFeatures cpu, int sites) {
        ValidatedModule vm = ValidatedModule.of(WatParser.parse(wat, "test.wat").binary());
        MachineCode mc = X64Backend.forCpu(cpu).compile(vm, SymbolNames.of(vm.module()), 0, CodeOptions.DEFAULT, true);
        String code = String.join("\n", mc.listing());
        assertTrue(!code.contains("trap_out_of_bounds_memory") && !code.contains("r11,QWORD PTR [r15"), cpu + " " + wat + ": no bounds check\n" + code);
        long oob = mc.trapSites().stream().filter(t -> t.kind() == TrapKind.OUT_OF_BOUNDS_MEMORY).count();
        assertEquals(sites, oob, cpu + " " + wat + ": guard-page sites\n" + code);
        List<String> memory = body(wat, cpu).stream().filter(insn -> insn.contains("[r14+")).toList();
        assertEquals(sites, memory.size(), cpu + " " + wat + ": one access\n" + code);
    }

    /** XXH3's multiply: extmul_low of the even and the odd dwords is one pshufd and pmuludq, the shuffles making the spread. */
    @Test
    void aShuffleFeedingAnExtmulMakesItsSpread() {
        String xxh3 = """
                (module (func (param v128) (result v128)
                  (i64x2.extmul_low_i32x4_u
                    (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get 0) (local.get 0))
                    (i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 (local.get 0) (local.get 0)))))""";
        List<String> avx = body(xxh3, AVX).stream().filter(s -> !s.startsWith("vmovaps")).toList(); // at most one register copy
        assertEquals(2, avx.size(), body(xxh3, AVX).toString());
        assertTrue(avx.get(0).matches("vpshufd xmm\\d+,xmm0,0xf5") && avx.get(1).startsWith("vpmuludq xmm0,"), avx.toString());
        assertEquals(1, body(xxh3, SSE).stream().filter(s -> s.startsWith("pshufd")).count(), body(xxh3, SSE).toString());
        // the high half of a shuffle that another instruction also reads: the shuffle stays whole, the extmul spreads
        String shared = """
                (module (func (param v128) (result v128) (local v128)
                  (local.set 1 (i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 (local.get 0) (local.get 0)))
                  (i64x2.add (local.get 1) (i64x2.extmul_high_i32x4_s (local.get 1) (local.get 0)))))""";
        List<String> code = body(shared, AVX);
        assertEquals(3, code.stream().filter(s -> s.startsWith("vpshufd")).count(), code.toString());
        assertTrue(code.contains("vpshufd xmm1,xmm0,0xdd") || code.stream().anyMatch(s -> s.matches("vpshufd xmm\\d+,xmm0,0xdd")), code.toString());
    }

    @Test
    void vectorsStayInRegisters() {
        String wat = """
                (module (func (param v128 v128 v128) (result v128)
                  (f32x4.add (f32x4.mul (local.get 0) (local.get 1)) (f32x4.sub (local.get 2) (local.get 0)))))""";
        List<String> code = body(wat, AVX);
        assertEquals(3, code.size(), code.toString());
        for (String insn : code) assertTrue(!insn.contains("PTR"), "no memory operand: " + code);
    }
}
