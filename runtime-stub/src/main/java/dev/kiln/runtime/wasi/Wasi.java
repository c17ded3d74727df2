package dev.kiln.runtime.wasi;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.ProcessExit;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.WasmModule;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Runs a WASI preview 1 program from Java in two lines, as {@code kiln run} does:
 *
 * <pre>{@code
 * int exit = Wasi.builder().args("in.txt").preopen(Path.of("data"), "/data").stdout(out)
 *         .run(engine.compile(Path.of("app.wasm")));
 * }</pre>
 *
 * The program runs in a new store of the {@link #engine engine} (by default one on the auto tier,
 * without a cache), its {@code wasi_snapshot_preview1} imports linked to a {@link WasiPreview1},
 * together with any {@link #imports other imports}. {@link Runner#run} returns the exit code: that
 * of {@code proc_exit}, or 0 when {@code _start} returns. A trap is thrown as a
 * {@link dev.kiln.runtime.WasmTrap}, as {@code kiln run} reports it (exit 134).
 */
public final class Wasi {
    private Wasi() {}

    /** A runner with no arguments, no environment, no directories and the process's standard streams. */
    public static Runner builder() {
        return new Runner();
    }

    /** Configures and runs one WASI program; every setting of {@link WasiConfig.Builder}, plus the engine and other imports. */
    public static final class Runner {
        private final WasiConfig.Builder config = WasiConfig.builder();
        private Engine engine;
        private Imports imports;

        private Runner() {}

        /** {@code argv[0]} (default {@code main.wasm}). */
        public Runner programName(String name) {
            config.programName(name);
            return this;
        }

        /** Appends the program's arguments (after {@code argv[0]}). */
        public Runner args(String... arguments) {
            config.args(List.of(arguments));
            return this;
        }

        public Runner args(List<String> arguments) {
            config.args(arguments);
            return this;
        }

        /** One environment variable. */
        public Runner env(String key, String value) {
            config.env(key, value);
            return this;
        }

        /** The host process's whole environment, before the explicit variables. */
        public Runner inheritEnv(boolean inherit) {
            config.inheritEnv(inherit);
            return this;
        }

        /** The host directory {@code hostPath}, seen by the program as {@code guestPath}. */
        public Runner preopen(Path hostPath, String guestPath) {
            config.preopen(hostPath, guestPath);
            return this;
        }

        public Runner stdin(InputStream in) {
            config.stdin(in);
            return this;
        }

        public Runner stdout(OutputStream out) {
            config.stdout(out);
            return this;
        }

        public Runner stderr(OutputStream err) {
            config.stderr(err);
            return this;
        }

        public Runner clocks(WasiClocks clocks) {
            config.clocks(clocks);
            return this;
        }

        /** The engine whose store runs the program (default: a new auto-tier engine without a cache). */
        public Runner engine(Engine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** Imports besides WASI's (host functions, memories, other instances). */
        public Runner imports(Imports imports) {
            this.imports = Objects.requireNonNull(imports, "imports");
            return this;
        }

        /** The {@link WasiConfig} these settings make (for linking {@link WasiPreview1} yourself). */
        public WasiConfig config() {
            return config.build();
        }

        /**
         * Instantiates {@code module} in a new store and calls its {@code _start}.
         *
         * @return {@code proc_exit}'s code, or 0 when {@code _start} returns
         * @throws dev.kiln.runtime.WasmTrap when the program traps
         * @throws dev.kiln.runtime.LinkException when an import is missing or of the wrong type
         * @throws dev.kiln.runtime.NoSuchExportException when the module exports no {@code _start}
         */
        public int run(WasmModule module) {
            Engine e = engine != null ? engine : Engine.builder().build();
            try (Store store = e.newStore(); WasiPreview1 wasi = new WasiPreview1(config.build())) {
                Imports all = imports != null ? imports.copy() : new Imports();
                for (HostFunction f : wasi.hostFunctions()) {
                    if (!all.contains(f.module(), f.name())) all.define(f, store); // the caller's own definitions win
                }
                Instance instance = store.instantiate(module, all);
                try {
                    instance.function("_start").call();
                    return 0;
                } catch (ProcessExit exit) {
                    return exit.code();
                }
            }
        }
    }
}
