package dev.kiln.runtime;

import java.util.Map;
import java.util.Optional;

/** The caller of a host function called from Java rather than from an instance: no exports, no memory. */
record JavaCaller(Store store) implements Caller {
    @Override
    public Map<String, Extern> exports() {
        return Map.of();
    }

    @Override
    public Optional<Memory> findMemory() {
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "a host function called from Java (not from an instance)";
    }
}
