package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** {@code args_*} and {@code environ_*}: counts, buffer sizes, and the pointer-array layout. */
class ArgsEnvironTest {
    private static TestGuest guest(WasiConfig.Builder b) {
        return new TestGuest(b, new byte[0]);
    }

    /** Reads back what {@code <fn>_get} wrote, after {@code <fn>_sizes_get}. */
    private static List<String> strings(TestGuest g, String fn) {
        long countPtr = g.alloc(4, 4);
        long sizePtr = g.alloc(4, 4);
        g.ok(fn + "_sizes_get", countPtr, sizePtr);
        int count = (int) g.u32At(countPtr);
        int size = (int) g.u32At(sizePtr);
        long ptrs = g.alloc(4 * count, 4);
        long buf = g.alloc(size, 1);
        g.ok(fn + "_get", ptrs, buf);
        List<String> out = new ArrayList<>();
        long expected = buf;
        for (int i = 0; i < count; i++) {
            long p = g.u32At(ptrs + 4L * i);
            assertEquals(expected, p, "strings are packed in order");
            int len = 0;
            while (g.memory.readByte(p + len) != 0) len++;
            out.add(new String(g.bytesAt(p, len), StandardCharsets.UTF_8));
            expected = p + len + 1;
        }
        assertEquals(buf + size, expected, "the buffer size counts every byte and NUL");
        return out;
    }

    @Test
    void argsStartWithProgramName() {
        try (TestGuest g = guest(WasiConfig.builder().programName("prog.wasm").args(List.of("first", "the \"second\" arg", "3")))) {
            assertEquals(List.of("prog.wasm", "first", "the \"second\" arg", "3"), strings(g, "args"));
        }
    }

    @Test
    void argsSizesCountBytesNotChars() {
        try (TestGuest g = guest(WasiConfig.builder().programName("p").arg("é€"))) {
            long c = g.alloc(4, 4);
            long s = g.alloc(4, 4);
            g.ok("args_sizes_get", c, s);
            assertEquals(2, g.u32At(c));
            assertEquals(2 + 5 + 1, g.u32At(s));
        }
    }

    @Test
    void environIsKeyEqualsValue() {
        try (TestGuest g = guest(WasiConfig.builder().env("a", "text").env("b=escap \" ing").env("c", "new\nline"))) {
            assertEquals(List.of("a=text", "b=escap \" ing", "c=new\nline"), strings(g, "environ"));
        }
    }

    @Test
    void emptyEnvironment() {
        try (TestGuest g = guest(WasiConfig.builder())) {
            assertEquals(List.of(), strings(g, "environ"));
        }
    }

    @Test
    void inheritedEnvironmentCanBeOverridden() {
        String someKey = System.getenv().keySet().iterator().next();
        try (TestGuest g = guest(WasiConfig.builder().inheritEnv(true).env(someKey, "overridden"))) {
            List<String> env = strings(g, "environ");
            assertEquals(System.getenv().size() + (System.getenv().containsKey(someKey) ? 0 : 1), env.size());
            assertTrue(env.contains(someKey + "=overridden"));
        }
    }

    @Test
    void badBuffersTrap() {
        try (TestGuest g = guest(WasiConfig.builder().arg("x"))) {
            long end = g.memory.byteSize();
            TrapException t = assertThrows(TrapException.class, () -> g.invoke("args_get", end - 4, g.alloc(16, 1)));
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, t.kind);
            t = assertThrows(TrapException.class, () -> g.invoke("args_sizes_get", g.alloc(8, 4) + 1, g.alloc(4, 4)));
            assertEquals(TrapKind.HOST_ERROR, t.kind, "misaligned result pointer");
        }
    }

    @Property(tries = 50)
    void anyArgumentsRoundTrip(@ForAll @Size(max = 6) List<@StringLength(max = 20) String> args) {
        List<String> clean = args.stream().map(s -> s.replace('\0', ' ')).toList();
        try (TestGuest g = guest(WasiConfig.builder().programName("p").args(clean))) {
            List<String> expected = new ArrayList<>();
            expected.add("p");
            expected.addAll(clean);
            // unpaired surrogates do not survive UTF-8; compare what the host would send
            List<String> sent = expected.stream()
                    .map(s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).toList();
            assertEquals(sent, strings(g, "args"));
        }
    }
}
