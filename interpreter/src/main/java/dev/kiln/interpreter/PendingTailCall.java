package dev.kiln.interpreter;

/**
 * A tail call out of the interpreter (to another instance, the host or native code) that the bottom
 * frame of an invocation leaves to the invocation's caller instead of making it, so a chain of such
 * calls runs in constant Java stack ({@link Interpreter#callInTail}): the function {@code target}
 * of {@code ctx}'s instance, or {@code -1 - handle}, with {@code args}.
 */
public record PendingTailCall(InstanceContext ctx, int target, long[] args) {
}
