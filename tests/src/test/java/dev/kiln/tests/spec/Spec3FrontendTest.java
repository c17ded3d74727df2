package dev.kiln.tests.spec;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** The 3.0 suite's scripts of issue 17 on the frontend tier: every module, binary assert_malformed and assert_invalid. */
@Tag("spec")
class Spec3FrontendTest {
    @TestFactory
    Stream<DynamicTest> frontend() {
        return Spec3Suite.tests(new FrontendTier(), Spec3Suite.ISSUE_17);
    }
}
