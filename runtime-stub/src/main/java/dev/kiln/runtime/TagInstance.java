package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;

/**
 * An exception tag: what a {@code catch} clause matches by identity, with the payload's types (the
 * parameters of its function type). A module's defined tags are new instances at each
 * instantiation; imported ones are shared with their exporter. Java code makes one with
 * {@link Store#newTag} to define it as an import or to throw {@link WasmException}s into the guest.
 */
public final class TagInstance implements Extern {
    final Store store;
    private final FuncType type;
    /** The store-wide id of the tag's function type (tags match across modules by type equivalence). */
    final int typeId;

    TagInstance(Store store, FuncType type, int typeId) {
        this.store = store;
        this.type = type;
        this.typeId = typeId;
    }

    /** The tag's type: the payload's types. */
    @Override
    public TagType type() {
        return TagType.of(type);
    }

    /** The module's view of the type: the payload as parameters, no results. */
    FuncType funcType() {
        return type;
    }

    @Override
    public String toString() {
        return "tag " + type();
    }
}
