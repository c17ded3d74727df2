package dev.kiln.backend.x64;

import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.Target;
import dev.kiln.ir.code.TrapSite;

import java.util.List;

/**
 * The result of {@link X64Assembler#finish()}: the bytes of one function (instructions, then the constant
 * pool at {@code constantPoolOffset}), its relocations, and its listing (empty unless requested).
 * The function must be placed at a 16-byte aligned address for the pool's 16-byte constants to be aligned.
 *
 * @param code               instructions followed by the constant pool
 * @param constantPoolOffset where the constant pool starts; {@code code.length} when there is none
 * @param relocations        places to patch when the code is placed (R_X86_64_PLT32, _PC32, _64)
 * @param listing            one line per instruction or pool item, {@code offset: text}
 */
public record AssembledCode(byte[] code, int constantPoolOffset, List<Relocation> relocations, List<String> listing) {
    public AssembledCode {
        relocations = List.copyOf(relocations);
        listing = List.copyOf(listing);
    }

    /** Wraps this code with the function's identity, trap sites and frame size for the rest of the pipeline. */
    public MachineCode toMachineCode(int funcIndex, String symbol, List<TrapSite> trapSites, int frameSize) {
        return new MachineCode(Target.X86_64, funcIndex, symbol, code, relocations, trapSites, frameSize, listing);
    }
}
