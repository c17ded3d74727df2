package dev.kiln.linker;

import java.util.List;
import java.util.Optional;

/**
 * The contents of an object's {@code .kiln.meta} section, apart from the trap table (which is read
 * into each function's {@link dev.kiln.ir.code.MachineCode#trapSites()}) and the integrity digest
 * (checked by {@link ElfReader}).
 *
 * @param formatVersion the {@code .kiln.meta} format version the object was written with
 * @param identity      module hash, compiler build id, target and options the code was built from
 * @param functions     one entry per WebAssembly function index, {@code 0 .. functions.size()-1}
 */
public record KilnMetadata(int formatVersion, BuildIdentity identity, List<FunctionEntry> functions) {
    public KilnMetadata {
        functions = List.copyOf(functions);
    }

    /** Number of WebAssembly functions the index covers (compiled or not). */
    public int functionCount() {
        return functions.size();
    }

    /** Number of functions the object holds native code for. */
    public int compiledCount() {
        return (int) functions.stream().filter(FunctionEntry::compiled).count();
    }

    /** The index row of {@code funcIndex}, empty when it is outside the index. */
    public Optional<FunctionEntry> function(int funcIndex) {
        return funcIndex >= 0 && funcIndex < functions.size() ? Optional.of(functions.get(funcIndex)) : Optional.empty();
    }
}
