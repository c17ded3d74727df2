package dev.kiln.tests.spec;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

/**
 * The 3.0 suite's scripts of issue 17 that the interpreter runs today (tail calls, typed function
 * references, extended constants); the rest of {@link Spec3Suite#ISSUE_17} needs exceptions or
 * several / 64-bit memories and tables in the interpreter, which it does not execute yet.
 */
@Tag("spec")
class Spec3InterpTest {
    static final List<String> RUNS = List.of("return_call", "return_call_indirect", "return_call_ref", "call_ref",
            "br_on_null", "br_on_non_null", "ref_as_non_null", "local_init", "ref", "global", "data", "elem");

    @TestFactory
    Stream<DynamicTest> interp() {
        return Spec3Suite.tests(new InterpTier(), RUNS);
    }
}
