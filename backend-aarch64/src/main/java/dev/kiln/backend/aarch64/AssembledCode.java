package dev.kiln.backend.aarch64;

import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.Target;
import dev.kiln.ir.code.TrapSite;

import java.util.List;

/**
 * What {@link A64Assembler#finish()} returns: the code bytes (little-endian instruction words and
 * literal pools), the relocations against external symbols, and the listing (empty unless listing
 * mode was on).
 */
public record AssembledCode(byte[] code, List<Relocation> relocations, List<ListingLine> listing) {
    public AssembledCode {
        relocations = List.copyOf(relocations);
        listing = List.copyOf(listing);
    }

    /** The listing as text lines, one per instruction or datum. */
    public List<String> listingText() {
        return listing.stream().map(ListingLine::toString).toList();
    }

    /** Wraps this code as the backend's output for one function. */
    public MachineCode toMachineCode(int funcIndex, String symbol, List<TrapSite> trapSites, int frameSize) {
        return new MachineCode(Target.AARCH64, funcIndex, symbol, code, relocations, trapSites, frameSize, listingText());
    }
}
