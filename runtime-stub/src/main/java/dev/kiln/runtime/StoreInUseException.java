package dev.kiln.runtime;

/**
 * A thread tried to use a {@link Store} while another thread was using it: a store is used by one
 * thread at a time (see the threading note on {@link Store}). Nothing was done; the store is
 * unaffected, and the attempt may be repeated once the other thread's call has returned.
 */
public final class StoreInUseException extends IllegalStateException {
    StoreInUseException(String user) {
        super("the store is in use by " + user + ": a Store is used by one thread at a time (give each thread its own Store)");
    }
}
