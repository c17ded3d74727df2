package dev.kiln.frontend;

/** The shape a type definition gives a type index: a function, a struct or an array. */
public sealed interface CompositeType permits FuncType, StructType, ArrayType {
    /** The abstract heap type above every type of this shape: func, struct or array. */
    default HeapType abstractSupertype() {
        return switch (this) {
            case FuncType f -> HeapType.FUNC;
            case StructType s -> HeapType.STRUCT;
            case ArrayType a -> HeapType.ARRAY;
        };
    }
}
