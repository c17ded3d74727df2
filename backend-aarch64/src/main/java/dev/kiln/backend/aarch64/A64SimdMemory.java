package dev.kiln.backend.aarch64;

import dev.kiln.ir.Instruction;

import static dev.kiln.backend.aarch64.A64Function.FSCRATCH;
import static dev.kiln.backend.aarch64.A64Function.FSCRATCH2;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH2;
import static dev.kiln.backend.aarch64.VectorShape.V16B;
import static dev.kiln.backend.aarch64.VectorShape.V2D;
import static dev.kiln.backend.aarch64.VectorShape.V2S;
import static dev.kiln.backend.aarch64.VectorShape.V4H;
import static dev.kiln.backend.aarch64.VectorShape.V4S;
import static dev.kiln.backend.aarch64.VectorShape.V8B;
import static dev.kiln.backend.aarch64.VectorShape.V8H;

/**
 * SIMD loads and stores, like the scalar accesses ({@link A64MemoryLowering#checkedAddress}): with
 * guard pages the one instruction that reads memory is the recorded trap site, and a store is
 * preceded by its probe (a load of the same bytes, the site); otherwise an explicit bounds check:
 * ldr/str of a Q register for whole vectors, a D load and sxtl/uxtl for the extending loads, S and
 * D loads for the zero-filling ones (they clear the rest of the register), ld1r for splats and
 * ld1/st1 of one lane (these take a base register: X17 = memory base + address; the base is X20 for memory 0, X15 for another).
 */
final class A64SimdMemory {
    private A64SimdMemory() {
    }

    /** The element of the lane or splat loads and stores, by their access size. */
    private static VectorShape element(int bytes) {
        return switch (bytes) {
            case 1 -> VectorShape.B;
            case 2 -> VectorShape.H;
            case 4 -> VectorShape.S;
            default -> VectorShape.D;
        };
    }

    static void lower(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        int bytes = i.op.memoryBytes;
        switch (i.op) {
            case V128_STORE -> {
                VectorRegister x = fn.fget(i.arg(1), FSCRATCH);
                asm.str(x.q(), A64MemoryLowering.checkedAddress(fn, i).address());
                return;
            }
            case V128_STORE8_LANE, V128_STORE16_LANE, V128_STORE32_LANE, V128_STORE64_LANE -> {
                VectorRegister x = fn.fget(i.arg(1), FSCRATCH);
                A64MemoryLowering.Place place = A64MemoryLowering.checkedAddress(fn, i);
                asm.add(SCRATCH2, place.base(), place.index());
                asm.st1(x.lane(element(bytes), (int) i.imm2()), SCRATCH2);
                return;
            }
            default -> {
            }
        }
        VectorRegister lanes = i.argCount() > 1 ? fn.fget(i.arg(1), FSCRATCH2) : null; // load_lane's vector
        A64MemoryLowering.Place place = A64MemoryLowering.checkedAddress(fn, i);
        Address at = place.address();
        VectorRegister d = fn.fdst(i.result(), FSCRATCH);
        switch (i.op) {
            case V128_LOAD -> {
                A64MemoryLowering.loadSite(fn, i);
                asm.ldr(d.q(), at);
            }
            case V128_LOAD8X8_S, V128_LOAD8X8_U, V128_LOAD16X4_S, V128_LOAD16X4_U, V128_LOAD32X2_S, V128_LOAD32X2_U -> {
                A64MemoryLowering.loadSite(fn, i);
                asm.ldr(d.d(), at);
                boolean signed = i.op.mnemonic.endsWith("_s");
                VectorShape wide, narrow;
                switch (i.op) {
                    case V128_LOAD8X8_S, V128_LOAD8X8_U -> { wide = V8H; narrow = V8B; }
                    case V128_LOAD16X4_S, V128_LOAD16X4_U -> { wide = V4S; narrow = V4H; }
                    default -> { wide = V2D; narrow = V2S; }
                }
                asm.simd(signed ? SimdShiftOp.SSHLL : SimdShiftOp.USHLL, d.as(wide), d.as(narrow), 0);
            }
            case V128_LOAD32_ZERO -> {
                A64MemoryLowering.loadSite(fn, i);
                asm.ldr(d.s(), at);
            }
            case V128_LOAD64_ZERO -> {
                A64MemoryLowering.loadSite(fn, i);
                asm.ldr(d.d(), at);
            }
            case V128_LOAD8_SPLAT, V128_LOAD16_SPLAT, V128_LOAD32_SPLAT, V128_LOAD64_SPLAT -> {
                asm.add(SCRATCH2, place.base(), place.index());
                VectorShape t = switch (bytes) {
                    case 1 -> V16B;
                    case 2 -> V8H;
                    case 4 -> V4S;
                    default -> V2D;
                };
                A64MemoryLowering.loadSite(fn, i);
                asm.ld1r(d.as(t), SCRATCH2);
            }
            default -> { // load lane
                asm.add(SCRATCH2, place.base(), place.index());
                if (d.number() != lanes.number()) asm.movVector(d.q(), lanes.q());
                A64MemoryLowering.loadSite(fn, i);
                asm.ld1(d.lane(element(bytes), (int) i.imm2()), SCRATCH2);
            }
        }
        fn.fput(i.result(), d);
    }
}
