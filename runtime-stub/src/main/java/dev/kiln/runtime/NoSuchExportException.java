package dev.kiln.runtime;

import java.util.NoSuchElementException;

/**
 * A lookup by export name found nothing of the kind asked for: no export of that name, or an
 * export of another kind. The message names what the module does export.
 */
public final class NoSuchExportException extends NoSuchElementException {
    private final String exportName;

    public NoSuchExportException(String exportName, String message) {
        super(message);
        this.exportName = exportName;
    }

    /** The name that was looked up. */
    public String exportName() {
        return exportName;
    }
}
