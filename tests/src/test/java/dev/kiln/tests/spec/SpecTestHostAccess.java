package dev.kiln.tests.spec;

import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Store;

/** Lets suites outside this package define the spectest host module. */
public final class SpecTestHostAccess {
    private SpecTestHostAccess() {
    }

    public static void define(Store store, Imports imports) {
        SpecTestHost.define(store, imports);
    }
}
