package dev.kiln.tests.spec;

import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Store;
import dev.kiln.wast.SpecTestModule;

/** Lets suites outside this package define the spectest host module. */
public final class SpecTestHostAccess {
    private SpecTestHostAccess() {
    }

    public static void define(Store store, Imports imports) {
        SpecTestModule.define(store, imports);
    }
}
