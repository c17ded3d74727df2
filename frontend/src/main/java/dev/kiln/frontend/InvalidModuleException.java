package dev.kiln.frontend;

/** The module decodes but breaks a validation rule (types, indices, limits, ...). */
public final class InvalidModuleException extends ModuleException {
    public InvalidModuleException(String reason, long offset) {
        super(reason, offset);
    }

    @Override
    public String category() {
        return "invalid";
    }
}
