package dev.kiln.frontend;

/**
 * Facts the validator records about one defined function for later passes.
 *
 * @param maxStackHeight   the largest operand-stack height reached (values, not bytes)
 * @param maxControlDepth  the deepest nesting of blocks, the function's own block included
 * @param instructionCount the number of instructions in the body, the final {@code end} included
 */
public record FunctionInfo(int maxStackHeight, int maxControlDepth, int instructionCount) {
}
