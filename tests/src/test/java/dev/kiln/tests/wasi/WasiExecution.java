package dev.kiln.tests.wasi;

import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.ProcessExit;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.internal.NativeCompiler;
import dev.kiln.runtime.wasi.PreopenDir;
import dev.kiln.runtime.wasi.WasiConfig;
import dev.kiln.runtime.wasi.WasiPreview1;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one WASI program in this JVM through the embedding API, the way {@code kiln run} does: the
 * module is decoded and validated, compiled first on a native tier (no code cache), instantiated with
 * the WASI host, and its {@code _start} called — all on a fresh thread with a time limit. Standard
 * input is the given bytes; standard output and error are captured.
 */
public final class WasiExecution {
    /** The exit status given for a trap, as {@code kiln run} (and wasmtime on Unix) gives it. */
    public static final int TRAP_EXIT = 134;
    /** Stack size of the thread the program runs on. */
    private static final long STACK = 16L << 20;
    /** How many WASI calls of a run are checked for interpreter frames. */
    public static final int INSPECTED_CALLS = 1000;
    private static final StackWalker WALKER = StackWalker.getInstance();

    /**
     * What happened.
     *
     * @param exitCode     the exit status: proc_exit's, 0 when _start returned, {@link #TRAP_EXIT} for a trap;
     *                     null when the run timed out or failed in the harness
     * @param stdout       standard output
     * @param stderr       standard error
     * @param trap         the trap's description, or null
     * @param failure      a failure outside the program (timeout, link error, exception), or null
     * @param compileNanos time spent compiling to native code (0 on the interpreter)
     * @param totalNanos   wall time of the whole run: decode, compile, instantiate, execute
     * @param hostCalls    WASI calls the program made
     * @param interpretedHostCalls of those, the ones made by interpreted code (the calling thread's
     *                     stack held interpreter frames); a native tier must have none
     */
    public record Result(Integer exitCode, byte[] stdout, byte[] stderr, String trap, String failure,
                         long compileNanos, long totalNanos, long hostCalls, long interpretedHostCalls) {
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }
    }

    private WasiExecution() {
    }

    /**
     * Runs {@code wasm} as {@code kiln run [--dir ROOT::/] [--env K=V]... wasm ARGS...} would, with
     * {@code argv[0]} the file's name and {@code root} (when not null) preopened as the guest's {@code /}.
     */
    public static Result run(Path wasm, WasiTier tier, List<String> args, Map<String, String> env,
                             Path root, byte[] stdin, Duration limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicReference<Integer> exit = new AtomicReference<>();
        AtomicReference<String> trap = new AtomicReference<>();
        AtomicReference<String> failure = new AtomicReference<>();
        long[] compile = new long[1];
        AtomicLong hostCalls = new AtomicLong();
        AtomicLong interpreted = new AtomicLong();
        long start = System.nanoTime();
        AtomicReference<Store> running = new AtomicReference<>();
        Runnable body = () -> {
            try {
                WasmModule module = WasmModule.of(Files.readAllBytes(wasm), wasm.getFileName().toString());
                if (tier.tier() == Tier.NATIVE) {
                    long t0 = System.nanoTime();
                    List<String> warnings = new ArrayList<>();
                    NativeCompiler.prepare(module, null, false, warnings::add);
                    compile[0] = System.nanoTime() - t0;
                    if (!warnings.isEmpty()) throw new IllegalStateException("compiler warnings: " + warnings);
                }
                WasiConfig.Builder config = WasiConfig.builder()
                        .programName(wasm.getFileName().toString())
                        .args(args)
                        .stdin(new ByteArrayInputStream(stdin == null ? new byte[0] : stdin))
                        .stdout(out)
                        .stderr(err);
                env.forEach(config::env);
                if (root != null) config.preopen(new PreopenDir(root, "/"));
                try (Store store = new Store().tier(tier.tier());
                     WasiPreview1 wasi = new WasiPreview1(config.build())) {
                    running.set(store);
                    Imports imports = new Imports().defineAll(witnessed(wasi.hostFunctions(), hostCalls, interpreted), store);
                    Instance instance = store.instantiate(module, imports);
                    FunctionInstance entry = instance.function("_start");
                    if (entry == null) throw new IllegalStateException("the module exports no _start");
                    entry.call();
                    exit.set(0);
                } catch (ProcessExit e) {
                    exit.set(e.code());
                } catch (WasmTrap t) {
                    trap.set(t.describe());
                    exit.set(TRAP_EXIT);
                }
            } catch (Throwable t) {
                StringWriter s = new StringWriter();
                t.printStackTrace(new PrintWriter(s));
                failure.set("harness error: " + s);
            }
        };
        Thread worker = Thread.ofPlatform().name("wasi-" + wasm.getFileName()).daemon().stackSize(STACK).unstarted(body);
        worker.start();
        boolean finished;
        try {
            worker.join(limit);
            finished = !worker.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        long total = System.nanoTime() - start;
        if (!finished) {
            Store store = running.get();
            if (store != null) store.interrupt(); // stops the Wasm code at its next call or loop iteration
            worker.interrupt(); // a host function blocked in Java
            try {
                worker.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Result(null, snapshot(out), snapshot(err), null,
                    "timed out after " + limit.toSeconds() + " s (time limit per case)", compile[0], total,
                    hostCalls.get(), interpreted.get());
        }
        return new Result(exit.get(), out.toByteArray(), err.toByteArray(), trap.get(), failure.get(), compile[0], total,
                hostCalls.get(), interpreted.get());
    }

    /**
     * The WASI functions, each counting its calls and whether interpreted code made them (so a run on
     * a native tier proves it ran natively). Only the first calls are inspected: walking the stack costs.
     */
    private static List<HostFunction> witnessed(List<HostFunction> functions, AtomicLong calls, AtomicLong interpreted) {
        return functions.stream().map(f -> new HostFunction(f.module(), f.name(), f.type(), (caller, a) -> {
            if (calls.incrementAndGet() <= INSPECTED_CALLS && calledByInterpreter()) interpreted.incrementAndGet();
            return f.implementation().call(caller, a);
        })).toList();
    }

    private static boolean calledByInterpreter() {
        return WALKER.walk(s -> s.anyMatch(f -> f.getClassName().startsWith("dev.kiln.interpreter.")));
    }

    private static byte[] snapshot(ByteArrayOutputStream s) {
        synchronized (s) {
            return s.toByteArray();
        }
    }
}
