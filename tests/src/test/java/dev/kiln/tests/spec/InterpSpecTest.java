package dev.kiln.tests.spec;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** The spec suite on the interpreter tier: every command kind of the 90 non-SIMD scripts. */
@Tag("spec")
class InterpSpecTest {
    @TestFactory
    Stream<DynamicTest> interp() throws IOException {
        return SpecSuite.tests(new InterpTier(), name -> true);
    }
}
