package dev.kiln.runtime;

/**
 * One export of a module: its name and type.
 *
 * @param name the export's name
 * @param type what it is
 */
public record ExportType(String name, ExternType type) {
    @Override
    public String toString() {
        return name + ": " + type;
    }
}
