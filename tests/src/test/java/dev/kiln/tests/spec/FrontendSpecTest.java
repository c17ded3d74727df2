package dev.kiln.tests.spec;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** The spec suite on the frontend tier: every module, binary assert_malformed and assert_invalid, all 146 files. */
@Tag("spec")
class FrontendSpecTest {
    @TestFactory
    Stream<DynamicTest> frontend() throws IOException {
        return SpecSuite.tests(new FrontendTier(), name -> true);
    }
}
