package dev.kiln.tests.fuzz.engine;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a run leaves behind that can be observed: exported globals by name (raw bits) and the
 * exported memory's byte size and SHA-256 (hex), or -1 and null without one. Or {@code failure}
 * when it could not be read.
 */
public record EngineState(Map<String, Long> globals, long memorySize, String memorySha256, String failure) {
    public EngineState {
        globals = globals == null ? Map.of() : new TreeMap<>(globals);
    }

    public static EngineState failed(String why) {
        return new EngineState(Map.of(), -1, null, why);
    }

    @Override
    public String toString() {
        if (failure != null) return "state unreadable: " + failure;
        StringBuilder sb = new StringBuilder("globals {");
        globals.forEach((k, v) -> sb.append(' ').append(k).append("=0x").append(Long.toHexString(v)));
        sb.append(" }");
        if (memorySha256 != null) sb.append(", memory ").append(memorySize).append(" bytes sha256 ").append(memorySha256, 0, 16);
        return sb.toString();
    }
}
