package dev.kiln.tests.wasm3;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.wasi.Wasi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A C++ program built with Debian's {@code clang++ --target=wasm32-wasi -fwasm-exceptions} and
 * wasi-libc ({@code resources/cxx/thrower.cpp}) throws through recursion and a call through a
 * function pointer, a thousand times (once 10 000 frames deep), and catches with {@code catch (...)};
 * it prints the same on every tier. Limits, plainly: Debian ships no libc++abi or libunwind for
 * wasm32, so the program carries the four {@code __cxa_*} functions a {@code catch (...)} needs and
 * cannot use typed catch clauses (they call libunwind's {@code _Unwind_CallPersonality}); clang 14
 * emits the legacy instructions ({@code try}/{@code catch}/{@code rethrow}), which wasmtime 49 rejects
 * ("legacy_exceptions feature required"), so the expected output is computed here, not taken from wasmtime.
 */
class CxxExceptionsProgramTest {
    private static byte[] program;

    @BeforeAll
    static void build(@TempDir Path dir) throws IOException, InterruptedException {
        Path source = ClangProgram.source(dir, "/cxx/thrower.cpp");
        Path object = dir.resolve("thrower.o"), wasm = dir.resolve("thrower.wasm");
        // compiled and linked apart: clang++ would link libc++ and libc++abi, which Debian's wasi-libc lacks
        ClangProgram.run(List.of("clang++", "--target=wasm32-wasi", "-O2", "-fwasm-exceptions", "-fno-rtti", "-c", "-o", object.toString(), source.toString()));
        ClangProgram.run(List.of("clang", "--target=wasm32-wasi", "-o", wasm.toString(), object.toString()));
        program = Files.readAllBytes(wasm);
    }

    /** What the program prints: every attempt throws and is caught, returning minus its depth. */
    private static String expected() {
        long sum = 0;
        for (int i = 0; i < 1000; i++) sum -= i % 50 == 49 ? 10_000 : i % 37;
        return "sum " + sum + " thrown 1000\n";
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "NATIVE", "AUTO"})
    void printsTheSameOnEveryTier(Tier tier) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Engine engine = Engine.builder().tier(tier).build();
        int code = Wasi.builder().engine(engine).stdout(out).run(engine.compile(program));
        assertEquals(0, code);
        assertEquals(expected(), out.toString(StandardCharsets.UTF_8));
    }
}
