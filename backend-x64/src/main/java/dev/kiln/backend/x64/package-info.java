/**
 * The x86-64 backend. This package currently holds the machine-code encoder that lowering builds on:
 * <ul>
 *   <li>{@link dev.kiln.backend.x64.X64Assembler}: one method per instruction form; families that share an
 *       encoding are chosen by table enums ({@link dev.kiln.backend.x64.AluOp},
 *       {@link dev.kiln.backend.x64.ShiftOp}, {@link dev.kiln.backend.x64.UnaryOp},
 *       {@link dev.kiln.backend.x64.MulDivOp}, {@link dev.kiln.backend.x64.BitCountOp},
 *       {@link dev.kiln.backend.x64.SseOp}, {@link dev.kiln.backend.x64.Condition},
 *       {@link dev.kiln.backend.x64.FixedInstruction});</li>
 *   <li>operands: {@link dev.kiln.backend.x64.Gpr}, {@link dev.kiln.backend.x64.Xmm},
 *       {@link dev.kiln.backend.x64.MemoryOperand} and a {@link dev.kiln.backend.x64.Width} per integer
 *       instruction;</li>
 *   <li>{@link dev.kiln.backend.x64.Label}s for branches, constants and jump tables, patched when bound;</li>
 *   <li>{@link dev.kiln.backend.x64.AssembledCode}: bytes, constant pool, relocations and an
 *       {@code objdump -M intel} style listing, convertible to {@link dev.kiln.ir.code.MachineCode};</li>
 *   <li>{@link dev.kiln.backend.x64.X64RelocationModel}: how the linker applies the relocations.</li>
 * </ul>
 * <pre>{@code
 *   X64Assembler asm = new X64Assembler(true);
 *   Label skip = asm.newLabel("skip");
 *   asm.push(RBX);                                   // callee-saved; also aligns the stack for the call
 *   asm.mov(DWORD, RBX, RDI);
 *   asm.test(DWORD, RBX, RBX);
 *   asm.jcc(Condition.E, skip);                      // forward reference, patched by bind
 *   asm.call("kiln_helper");                         // Relocation(.., R_X86_64_PLT32, "kiln_helper", -4)
 *   asm.bind(skip);
 *   asm.cvtsi2sd(DWORD, XMM0, RBX);
 *   asm.sse(SseOp.MULSD, XMM0, rip(asm.constant64(Double.doubleToRawLongBits(0.5))));
 *   asm.pop(RBX);
 *   asm.ret();
 *   AssembledCode code = asm.finish();               // code + pool, relocations, listing
 * }</pre>
 */
package dev.kiln.backend.x64;
