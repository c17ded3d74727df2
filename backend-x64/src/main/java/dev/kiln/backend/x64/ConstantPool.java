package dev.kiln.backend.x64;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The per-function data placed after the code: deduplicated 4-, 8- and 16-byte constants (each aligned to
 * its size, so 16-byte masks can be used by {@code andps} and friends) and jump tables of 32-bit offsets.
 */
final class ConstantPool {
    /** A constant of {@code value.length} bytes, or a jump table when {@code targets} is non-null. */
    private record Entry(Label label, byte[] value, List<Label> targets) {
        int alignment() {
            return value != null ? value.length : 4;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Label> constants = new HashMap<>();

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The label of the constant with these little-endian bytes, creating it with {@code newLabel} if needed. */
    Label constant(byte[] value, Supplier<Label> newLabel) {
        String key = HexFormat.of().formatHex(value);
        Label existing = constants.get(key);
        if (existing != null) {
            return existing;
        }
        Label label = newLabel.get();
        constants.put(key, label);
        entries.add(new Entry(label, value.clone(), null));
        return label;
    }

    void jumpTable(Label label, List<Label> targets) {
        entries.add(new Entry(label, null, List.copyOf(targets)));
    }

    /** All labels that jump tables point to. */
    List<Label> jumpTargets() {
        List<Label> targets = new ArrayList<>();
        for (Entry e : entries) {
            if (e.targets != null) {
                targets.addAll(e.targets);
            }
        }
        return targets;
    }

    /**
     * Writes the pool at the current position, which must be 16-byte aligned: constants by decreasing size,
     * so every one is naturally aligned without padding, then jump tables. {@code bind} binds each entry's label.
     */
    void writeTo(CodeBuffer out, Listing listing, Consumer<Label> bind) {
        List<Entry> ordered = new ArrayList<>(entries);
        ordered.sort(Comparator.comparing((Entry e) -> e.targets != null)
                .thenComparing(Comparator.comparingInt(Entry::alignment).reversed()));
        for (Entry e : ordered) {
            bind.accept(e.label);
            int start = out.position();
            if (e.value != null) {
                out.emit(e.value);
                list(listing, start, e.value);
            } else {
                for (Label target : e.targets) {
                    int at = out.position();
                    out.emit(target.offset() - start, 4);
                    if (listing != null) {
                        listing.add(at, at + 4, ".long", "-> " + Listing.hex(target.offset()),
                                new ListingOperand.Immediate(target.offset() - start, 32));
                    }
                }
            }
        }
    }

    private static void list(Listing listing, int start, byte[] value) {
        if (listing == null) {
            return;
        }
        for (int i = 0; i < value.length; i += 8) {
            int n = Math.min(8, value.length - i);
            long v = 0;
            for (int k = n - 1; k >= 0; k--) {
                v = v << 8 | (value[i + k] & 0xFF);
            }
            listing.add(start + i, start + i + n, n == 8 ? ".quad" : ".long", null,
                    new ListingOperand.Immediate(v, n * 8));
        }
    }
}
