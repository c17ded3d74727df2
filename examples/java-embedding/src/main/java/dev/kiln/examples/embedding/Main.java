package dev.kiln.examples.embedding;

import dev.kiln.examples.embedding.wasm.CalcModule;
import dev.kiln.runtime.Caller;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.MemoryInstance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.TierReport;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.wasi.Wasi;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntBinaryOperator;
import java.util.function.LongUnaryOperator;

import static dev.kiln.runtime.ValueType.I32;

/**
 * Embeds two WebAssembly modules that kiln-maven-plugin precompiled at build time (they are in
 * this project's jar, with their native code for x86_64 and aarch64): calls typed exports, gives
 * the guest a host function, reads its memory, does the same through the class kiln:generate made
 * from the module ({@code CalcModule}), and runs a WASI program. Prints what it saw and
 * how many functions were compiled at run time (none: all native code came from the jar).
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp target/classes:<kiln-runtime and its
 * dependencies> dev.kiln.examples.embedding.Main}; the project's test runs it.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(System.out));
    }

    /** Runs the example, printing to {@code out}; returns the number of functions compiled at run time. */
    public static int run(PrintStream out) {
        Engine engine = Engine.builder().build(); // auto tier; precompiled code is looked up on the class path
        int compiled = 0;

        // typed exports, a host function with a Caller, memory
        WasmModule calc = engine.compileResource("wasm/calc.wat");
        List<String> logged = new ArrayList<>();
        HostFunction log = HostFunction.ofVoid("env", "log", I32, I32,
                (caller, ptr, len) -> logged.add(caller.memory().readString(ptr, len)));
        try (Store store = engine.newStore()) {
            Instance calcInstance = store.instantiate(calc, new Imports().define(log));
            IntBinaryOperator add = calcInstance.function("add").asIntBinaryOperator();
            LongUnaryOperator fib = calcInstance.function("fib").asLongUnaryOperator();
            out.println("add(2, 3) = " + add.applyAsInt(2, 3));
            out.println("fib(30) = " + fib.applyAsLong(30));
            calcInstance.function("greet").asRunnable().run();
            out.println("logged: " + logged);
            MemoryInstance memory = calcInstance.memory("memory");
            out.println("memory at 64: " + memory.readCString(64));
            TierReport report = TierReport.of(calc, store, 0);
            out.println("calc.wat: " + report.boundFromCache() + " functions bound from precompiled code, "
                    + report.compiled() + " compiled at run time, " + report.interpreted() + " interpreted");
            compiled += report.compiled() + report.interpreted();
        }

        // the same module through the class kiln:generate made from it: Java methods, a host interface
        try (Store store = engine.newStore()) {
            CalcModule.Exports calcExports = CalcModule.instantiate(store, calc, new CalcModule.Host() {
                @Override
                public void envLog(Caller caller, int ptr, int len) {
                    out.println("generated host interface got: " + caller.memory().readString(ptr, len));
                }
            });
            out.println("generated add(40, 2) = " + calcExports.add(40, 2) + ", fib(10) = " + calcExports.fib(10));
            calcExports.greet();
            TierReport report = TierReport.of(calc, store, 0);
            compiled += report.compiled() + report.interpreted();
        }

        // a WASI program in two lines
        WasmModule hello = engine.compileResource("wasm/hello.wat");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int exit = Wasi.builder().programName("hello").args("kiln").stdout(stdout).engine(engine).run(hello);
        out.print("WASI stdout: " + stdout.toString(StandardCharsets.UTF_8));
        out.println("WASI exit code: " + exit);
        try (Store store = engine.newStore()) {
            TierReport report = TierReport.of(hello, store, 0);
            out.println("hello.wat: " + report.boundFromCache() + " functions bound from precompiled code, "
                    + report.compiled() + " compiled at run time, " + report.interpreted() + " interpreted");
            compiled += report.compiled() + report.interpreted();
        }
        return compiled;
    }
}
