package dev.kiln.examples.embedding;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs the example as a user would and checks what it printed: every call right, nothing compiled at run time. */
class MainTest {
    @Test
    void theExampleRunsOnPrecompiledCodeOnly() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int compiled = Main.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertEquals("""
                add(2, 3) = 5
                fib(30) = 832040
                logged: [hello from wasm]
                memory at 64: kiln
                calc.wat: 3 functions bound from precompiled code, 0 compiled at run time, 0 interpreted
                generated add(40, 2) = 42, fib(10) = 55
                generated host interface got: hello from wasm
                WASI stdout: hello, kiln
                WASI exit code: 2
                hello.wat: 2 functions bound from precompiled code, 0 compiled at run time, 0 interpreted
                """, out);
        assertEquals(0, compiled);
    }
}
