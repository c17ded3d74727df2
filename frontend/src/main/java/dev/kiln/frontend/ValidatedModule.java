package dev.kiln.frontend;

import java.util.BitSet;
import java.util.List;

/** A module that passed validation, with what the validator learned about each function. */
public final class ValidatedModule {
    private final Module module;
    private final TypeHierarchy types;
    private final List<FunctionInfo> functionInfos;
    private final BitSet declaredFunctionRefs;

    ValidatedModule(Module module, TypeHierarchy types, List<FunctionInfo> functionInfos, BitSet declaredFunctionRefs) {
        this.module = module;
        this.types = types;
        this.functionInfos = List.copyOf(functionInfos);
        this.declaredFunctionRefs = (BitSet) declaredFunctionRefs.clone();
    }

    public Module module() {
        return module;
    }

    /** Type equivalence and subtyping over the module's types. */
    public TypeHierarchy types() {
        return types;
    }

    /** Facts about a defined function, by function index. */
    public FunctionInfo functionInfo(int funcIndex) {
        return functionInfos.get(funcIndex - module.importedFunctionCount());
    }

    /** Functions that {@code ref.func} may name in code (spec: C.refs). */
    public boolean isDeclaredFunctionRef(int funcIndex) {
        return declaredFunctionRefs.get(funcIndex);
    }

    /** Decodes and validates a module binary. */
    public static ValidatedModule of(byte[] bytes) {
        return Validator.validate(Decoder.decode(bytes));
    }
}
