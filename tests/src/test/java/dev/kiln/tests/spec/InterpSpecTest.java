package dev.kiln.tests.spec;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/** Both spec suites on the interpreter tier: every command kind, for the features the interpreter executes. */
@Tag("spec")
class InterpSpecTest {
    @TestFactory
    Stream<DynamicNode> interp() throws IOException {
        return SpecSuite.tests(new InterpTier(), SpecSuite.selected());
    }
}
