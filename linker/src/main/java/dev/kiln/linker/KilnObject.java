package dev.kiln.linker;

import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Target;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A kiln object file as {@link ElfReader} parsed and verified it: its metadata, the native code of
 * each compiled function (bytes, relocations, trap sites, frame size; listings are not stored, so
 * they are empty), in {@code .text} order, and the external symbols its relocations refer to
 * (runtime helpers, functions outside the object), in symbol-table order.
 */
public final class KilnObject {
    private final KilnMetadata metadata;
    private final List<MachineCode> functions;
    private final List<String> externalSymbols;
    private final Map<Integer, MachineCode> byIndex = new HashMap<>();
    private final Map<String, MachineCode> bySymbol = new HashMap<>();
    private final byte[] module;

    public KilnObject(KilnMetadata metadata, List<MachineCode> functions, List<String> externalSymbols) {
        this(metadata, functions, externalSymbols, null);
    }

    /** An object that also carries the bytes of its module ({@code .kiln.wasm}; null: it does not). */
    public KilnObject(KilnMetadata metadata, List<MachineCode> functions, List<String> externalSymbols, byte[] module) {
        this.module = module;
        this.metadata = metadata;
        this.functions = List.copyOf(functions);
        this.externalSymbols = List.copyOf(externalSymbols);
        for (MachineCode m : this.functions) {
            byIndex.put(m.funcIndex(), m);
            bySymbol.put(m.symbol(), m);
        }
    }

    public KilnMetadata metadata() {
        return metadata;
    }

    /** The compiled functions in {@code .text} order. */
    public List<MachineCode> functions() {
        return functions;
    }

    /** Undefined symbols that relocations refer to, in symbol-table order. */
    public List<String> externalSymbols() {
        return externalSymbols;
    }

    public BuildIdentity identity() {
        return metadata.identity();
    }

    public Target target() {
        return metadata.identity().target();
    }

    /** The code of WebAssembly function {@code funcIndex}, empty when the object has none for it. */
    public Optional<MachineCode> function(int funcIndex) {
        return Optional.ofNullable(byIndex.get(funcIndex));
    }

    /** The module the code was compiled from, when the object carries it ({@code .kiln.wasm}). */
    public Optional<byte[]> module() {
        return module == null ? Optional.empty() : Optional.of(module.clone());
    }

    /** The code whose symbol is {@code symbol}, empty when there is none. */
    public Optional<MachineCode> functionBySymbol(String symbol) {
        return Optional.ofNullable(bySymbol.get(symbol));
    }

    @Override
    public String toString() {
        return "KilnObject[" + identity() + ", " + functions.size() + " of " + metadata.functionCount() + " functions compiled]";
    }
}
