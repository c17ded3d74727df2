package dev.kiln.backend.x64;

import dev.kiln.ir.Instruction;
import dev.kiln.ir.code.CpuFeature;

import static dev.kiln.backend.x64.X64Vectors.T1;
import static dev.kiln.backend.x64.X64Vectors.T2;

/**
 * SIMD loads and stores, like the scalar accesses ({@link X64MemoryLowering#address}): with guard
 * pages the one instruction that touches memory is the recorded trap site (every sequence below
 * reads or writes memory in exactly one instruction), otherwise an explicit bounds check comes
 * first. movdqu for whole vectors (Wasm addresses have no alignment), pmovsx/pmovzx straight from memory
 * for the extending loads, movd/movq for the zero-filling ones, vpbroadcast (AVX2) or a load and a
 * shuffle for the splats, pinsr*&#47;pextr* for single lanes.
 */
final class X64SimdMemory {
    private X64SimdMemory() {
    }

    static void lower(X64Vectors v, Instruction i) {
        X64Function fn = v.fn;
        X64Assembler asm = v.asm;
        switch (i.op) {
            case V128_STORE -> {
                Xmm x = fn.vget(i.arg(1), T1);
                MemoryOperand at = X64MemoryLowering.address(fn, i); // one movdqu: a guard-page site when guarded
                X64MemoryLowering.site(fn, i);
                asm.vecStore(VecOp.MOVDQU_STORE, at, x);
                return;
            }
            case V128_STORE8_LANE, V128_STORE16_LANE, V128_STORE32_LANE, V128_STORE64_LANE -> {
                Xmm x = fn.vget(i.arg(1), T1);
                MemoryOperand at = X64MemoryLowering.address(fn, i);
                int lane = (int) i.imm2();
                X64MemoryLowering.site(fn, i);
                switch (i.op) {
                    case V128_STORE8_LANE -> v.extract(VecOp.PEXTRB, at, x, lane);
                    case V128_STORE16_LANE -> v.extract(VecOp.PEXTRW, at, x, lane);
                    case V128_STORE32_LANE -> {
                        if (lane == 0) asm.movd(at, x);
                        else v.extract(VecOp.PEXTRD, at, x, lane);
                    }
                    default -> {
                        if (lane == 0) asm.movq(at, x);
                        else v.extract(VecOp.PEXTRQ, at, x, lane);
                    }
                }
                return;
            }
            default -> {
            }
        }
        MemoryOperand at = X64MemoryLowering.address(fn, i);
        int r = i.result();
        Xmm d = fn.fdst(r, T1);
        boolean avx2 = fn.cpu.has(CpuFeature.AVX2);
        boolean lane = switch (i.op) {
            case V128_LOAD8_LANE, V128_LOAD16_LANE, V128_LOAD32_LANE, V128_LOAD64_LANE -> true;
            default -> false;
        };
        if (!lane) X64MemoryLowering.site(fn, i); // the first instruction below reads memory
        switch (i.op) {
            case V128_LOAD -> v.mov(d, at);
            case V128_LOAD8X8_S -> v.unary(VecOp.PMOVSXBW, d, at);
            case V128_LOAD8X8_U -> v.unary(VecOp.PMOVZXBW, d, at);
            case V128_LOAD16X4_S -> v.unary(VecOp.PMOVSXWD, d, at);
            case V128_LOAD16X4_U -> v.unary(VecOp.PMOVZXWD, d, at);
            case V128_LOAD32X2_S -> v.unary(VecOp.PMOVSXDQ, d, at);
            case V128_LOAD32X2_U -> v.unary(VecOp.PMOVZXDQ, d, at);
            case V128_LOAD32_ZERO -> v.unary(VecOp.MOVD_LOAD, d, at);
            case V128_LOAD64_ZERO -> v.unary(VecOp.MOVQ, d, at);
            case V128_LOAD64_SPLAT -> v.unary(VecOp.MOVDDUP, d, at);
            case V128_LOAD8_SPLAT -> {
                if (avx2) {
                    v.unary(VecOp.VPBROADCASTB, d, at);
                } else {
                    asm.movzx(Width.DWORD, Gpr.RAX, Width.BYTE, at);
                    asm.movd(T1, Gpr.RAX);
                    v.zero(T2);
                    v.op(VecOp.PSHUFB, d, T1, T2);
                }
            }
            case V128_LOAD16_SPLAT -> {
                if (avx2) {
                    v.unary(VecOp.VPBROADCASTW, d, at);
                } else {
                    asm.movzx(Width.DWORD, Gpr.RAX, Width.WORD, at);
                    asm.movd(T1, Gpr.RAX);
                    v.unary(VecOp.PSHUFLW, T1, T1, 0);
                    v.unary(VecOp.PSHUFD, d, T1, 0);
                }
            }
            case V128_LOAD32_SPLAT -> {
                if (avx2) {
                    v.unary(VecOp.VPBROADCASTD, d, at);
                } else {
                    v.unary(VecOp.MOVD_LOAD, T1, at);
                    v.unary(VecOp.PSHUFD, d, T1, 0);
                }
            }
            case V128_LOAD8_LANE -> v.insert(VecOp.PINSRB, d, fn.vop(i.arg(1)), at, (int) i.imm2(), i);
            case V128_LOAD16_LANE -> v.insert(VecOp.PINSRW, d, fn.vop(i.arg(1)), at, (int) i.imm2(), i);
            case V128_LOAD32_LANE -> v.insert(VecOp.PINSRD, d, fn.vop(i.arg(1)), at, (int) i.imm2(), i);
            case V128_LOAD64_LANE -> v.insert(VecOp.PINSRQ, d, fn.vop(i.arg(1)), at, (int) i.imm2(), i);
            default -> throw new IllegalStateException("no x86-64 lowering for " + i.op);
        }
        fn.fput(r, d);
    }
}
