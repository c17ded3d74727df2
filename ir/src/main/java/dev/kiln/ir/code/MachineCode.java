package dev.kiln.ir.code;

import java.util.List;

/**
 * The output of a backend for one function: its bytes, the relocations to apply when placing
 * them, the trap sites, the frame size, and (in listing mode) the emitted instructions as text.
 *
 * @param funcIndex the WebAssembly function index
 * @param symbol    the ELF symbol name (from the name section when there is one)
 * @param listing   one line per instruction, {@code offset: text}, or an empty list when not requested
 */
public record MachineCode(Target target, int funcIndex, String symbol, byte[] code, List<Relocation> relocations,
                          List<TrapSite> trapSites, int frameSize, List<String> listing) {
    public MachineCode {
        relocations = List.copyOf(relocations);
        trapSites = List.copyOf(trapSites);
        listing = List.copyOf(listing);
    }
}
