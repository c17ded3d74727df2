package dev.kiln.linker;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Supplies the address of a symbol that code being placed refers to: another function placed
 * earlier, a runtime helper, an upcall stub. {@link ExecutableMemory} resolves the symbols of the
 * functions placed together in one call itself and asks the resolver for the rest.
 */
@FunctionalInterface
public interface SymbolResolver {
    /** The address of {@code symbol}, or empty when this resolver does not know it. */
    OptionalLong address(String symbol);

    /** Knows no symbol. */
    static SymbolResolver none() {
        return symbol -> OptionalLong.empty();
    }

    /** Knows exactly the symbols of {@code addresses} (copied). */
    static SymbolResolver of(Map<String, Long> addresses) {
        Map<String, Long> copy = Map.copyOf(addresses);
        return symbol -> {
            Long a = copy.get(symbol);
            return a == null ? OptionalLong.empty() : OptionalLong.of(a);
        };
    }

    /** This resolver, then {@code next} for symbols this one does not know. */
    default SymbolResolver orElse(SymbolResolver next) {
        return symbol -> {
            OptionalLong a = address(symbol);
            return a.isPresent() ? a : next.address(symbol);
        };
    }
}
