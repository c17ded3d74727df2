package dev.kiln.frontend;

import java.util.List;

/** A struct type: its fields in order. */
public record StructType(List<FieldType> fields) implements CompositeType {
    public StructType {
        fields = List.copyOf(fields);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(struct");
        for (FieldType f : fields) sb.append(" (field ").append(f).append(')');
        return sb.append(')').toString();
    }
}
