/**
 * The AArch64 (A64) assembler: encodes the instructions the backend needs for WebAssembly 2.0
 * (without SIMD), with labels, branch relaxation, literal pools, relocations against external
 * symbols and an objdump-compatible listing.
 *
 * <p>{@link dev.kiln.backend.aarch64.A64Assembler} is the entry point. Registers are
 * {@link dev.kiln.backend.aarch64.GeneralRegister} (X/W views, with SP and XZR as distinct
 * constants) and {@link dev.kiln.backend.aarch64.VectorRegister} (S/D for floating point, 8B/16B
 * arrangements); memory operands are {@link dev.kiln.backend.aarch64.Address}. Each instruction
 * form is encoded in one place, from a table of its operations ({@link dev.kiln.backend.aarch64.AddSubOp},
 * {@link dev.kiln.backend.aarch64.LogicalOp}, {@link dev.kiln.backend.aarch64.LoadStoreOp}, ...);
 * the assembler offers both the generic form ({@code addSub(AddSubOp.SUB, ...)}, handy for
 * table-driven lowering) and one method per mnemonic ({@code sub(...)}).
 *
 * <pre>{@code
 * A64Assembler a = new A64Assembler(true);                 // with listing
 * Label skip = a.newLabel();
 * a.stp(FP, LR, Address.preIndex(SP, -16));                // prologue
 * a.mov(FP, SP);
 * a.cbz(W1, skip);                                         // forward reference
 * a.bl("memory_grow");                                     // R_AARCH64_CALL26 memory_grow
 * a.bind(skip);
 * a.movFloat(D1, Double.doubleToRawLongBits(0.1));         // from the literal pool
 * a.fadd(D0, D0, D1);
 * a.ldp(FP, LR, Address.postIndex(SP, 16));                // epilogue
 * a.ret();
 * AssembledCode code = a.finish();                         // bytes, relocations, listing
 * }</pre>
 *
 * {@link dev.kiln.backend.aarch64.A64RelocationModel} applies the relocations when the linker
 * places the code.
 */
package dev.kiln.backend.aarch64;
