package dev.kiln.backend;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.regalloc.ArgumentPlaces;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * A target's registers in kiln's internal calling convention (docs/design-changes.md, "The internal
 * calling convention"): the argument registers in order, by class, and the result registers, as
 * allocator register numbers. Where parameters go follows from them by the one rule of
 * {@link ArgumentPlaces}.
 */
public record CallingConvention(int[] integerArguments, int[] vectorArguments, int integerResult, int vectorResult,
                                Predicate<ValType> inVectorRegister) {
    public CallingConvention {
        integerArguments = integerArguments.clone();
        vectorArguments = vectorArguments.clone();
    }

    /** Where the parameters of {@code t} go, and how many bytes of stack arguments they take. */
    public ArgumentPlaces.Parameters parameters(FuncType t) {
        return ArgumentPlaces.of(t, integerArguments, vectorArguments, inVectorRegister);
    }

    /** The register a single result of type {@code t} comes back in. */
    public int resultRegister(ValType t) {
        return inVectorRegister.test(t) ? vectorResult : integerResult;
    }

    /** True when {@code register} may carry an argument. */
    public boolean isArgument(int register) {
        return Arrays.stream(integerArguments).anyMatch(r -> r == register) || Arrays.stream(vectorArguments).anyMatch(r -> r == register);
    }
}
