package dev.kiln.interpreter.gc;

import java.util.function.LongConsumer;

/**
 * Where a collection finds its roots. The runtime reports every word that may hold a reference:
 * globals, tables, element segments and exception payloads of the store's instances, and the
 * running thread's interpreter frames. A word that is not the address of an object (a number, an
 * i31, a host object, a function reference) is ignored, so reporting more than the references is
 * safe: it only keeps what it happens to point at.
 */
@FunctionalInterface
public interface GcRoots {
    void report(LongConsumer root);
}
