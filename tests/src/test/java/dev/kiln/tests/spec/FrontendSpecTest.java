package dev.kiln.tests.spec;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** Both spec suites on the frontend tier: decoding and validation (module, assert_malformed, assert_invalid). */
@Tag("spec")
class FrontendSpecTest {
    @TestFactory
    Stream<DynamicNode> frontend() throws IOException {
        return SpecSuite.tests(new FrontendTier(), SpecSuite.selected());
    }
}
