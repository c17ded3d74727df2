package dev.kiln.frontend;

/** The bytes are not a well-formed WebAssembly binary (decoding failed). */
public final class MalformedModuleException extends ModuleException {
    public MalformedModuleException(String reason, long offset) {
        super(reason, offset);
    }

    @Override
    public String category() {
        return "malformed";
    }
}
