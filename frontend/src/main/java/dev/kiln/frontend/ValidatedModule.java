package dev.kiln.frontend;

import java.util.BitSet;
import java.util.List;

/** A module that passed validation, with what the validator learned about each function. */
public final class ValidatedModule {
    private final Module module;
    private final TypeHierarchy types;
    private final FunctionInfo[] functionInfos;
    private final BitSet declaredFunctionRefs;
    /** False when the bodies were not validated here (validated by this build before): infos come on demand. */
    private final boolean bodiesValidated;
    /** By function index, the direct calls naming it in the module's code: counted when first asked. */
    private volatile int[] directCallSites;

    /** {@code functionInfos} null: the bodies were validated before, by this build (see {@link Validator#validateTrusted}). */
    ValidatedModule(Module module, TypeHierarchy types, List<FunctionInfo> functionInfos, BitSet declaredFunctionRefs) {
        this.module = module;
        this.types = types;
        this.bodiesValidated = functionInfos != null;
        this.functionInfos = functionInfos != null ? functionInfos.toArray(new FunctionInfo[0])
                : new FunctionInfo[module.functionBodies().size()];
        this.declaredFunctionRefs = (BitSet) declaredFunctionRefs.clone();
    }

    /** True when every body was validated when this module was made (false for a trusted, cached module). */
    public boolean bodiesValidated() {
        return bodiesValidated;
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
        int i = funcIndex - module.importedFunctionCount();
        FunctionInfo info = functionInfos[i];
        if (info == null) {
            info = new FunctionValidator(module, types, declaredFunctionRefs).validate(funcIndex);
            functionInfos[i] = info;
        }
        return info;
    }

    /** The number of direct calls ({@code call}, {@code return_call}) in the module's code that name function {@code funcIndex}. */
    public int directCallSites(int funcIndex) {
        int[] counts = directCallSites;
        if (counts == null) directCallSites = counts = DirectCalls.count(module);
        return counts[funcIndex];
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
