package dev.kiln.tests.spec;

import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

/**
 * The SIMD scripts of both suites ({@code simd_*}, {@code relaxed_*}, {@code *_relaxed_*}) on
 * x86-64 code compiled for x86_64-v2: the SSE encodings and the sequences without AVX2 run here
 * (the {@code x86_64} tier runs this machine's level, VEX-encoded when it has AVX).
 */
@Tag("spec")
class NativeX64SseSpecTest {
    @TestFactory
    Stream<DynamicNode> x86_64Sse() throws IOException {
        Assumptions.assumeTrue(Target.host() == Target.X86_64, "runs on x86-64 hosts");
        return SpecSuite.tests(new NativeX64Tier(CpuFeatures.X86_64_V2), SpecSuite::isSimdScript);
    }
}
