package dev.kiln.runtime.wasi;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

/**
 * What a WASI program sees of the host: its arguments and environment, the directories it may use,
 * its standard streams, clocks and random source. Immutable; build one with {@link #builder()}.
 *
 * <pre>{@code
 * WasiConfig config = WasiConfig.builder()
 *         .programName("app.wasm").args(List.of("--verbose"))
 *         .inheritEnv(true).env("RUST_BACKTRACE", "1")
 *         .preopen(PreopenDir.parse("data::/data"))
 *         .build();
 * }</pre>
 */
public final class WasiConfig {
    private final List<String> argv;
    private final List<Map.Entry<String, String>> environment;
    private final List<PreopenDir> preopens;
    private final InputStream stdin;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private final Boolean stdioTerminal;
    private final WasiClocks clocks;
    private final Random random;

    private WasiConfig(Builder b) {
        List<String> av = new ArrayList<>();
        av.add(b.programName);
        av.addAll(b.args);
        this.argv = List.copyOf(av);
        Map<String, String> env = new LinkedHashMap<>();
        if (b.inheritEnv) env.putAll(new TreeMap<>(System.getenv()));
        env.putAll(b.env);
        this.environment = env.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
        this.preopens = List.copyOf(b.preopens);
        this.stdin = b.stdin;
        this.stdout = b.stdout;
        this.stderr = b.stderr;
        this.stdioTerminal = b.stdioTerminal;
        this.clocks = b.clocks;
        this.random = b.random != null ? b.random : new SecureRandom();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The program name followed by the arguments: what {@code args_get} returns. */
    public List<String> argv() {
        return argv;
    }

    /** The environment in the order {@code environ_get} returns it. */
    public List<Map.Entry<String, String>> environment() {
        return environment;
    }

    public List<PreopenDir> preopens() {
        return preopens;
    }

    /** Standard input, or null to use the process's. */
    public InputStream stdin() {
        return stdin;
    }

    /** Standard output, or null to use the process's. */
    public OutputStream stdout() {
        return stdout;
    }

    /** Standard error, or null to use the process's. */
    public OutputStream stderr() {
        return stderr;
    }

    /** Whether the standard streams are reported as a terminal; null to detect it. */
    public Boolean stdioTerminal() {
        return stdioTerminal;
    }

    public WasiClocks clocks() {
        return clocks;
    }

    public Random random() {
        return random;
    }

    /** Builds a {@link WasiConfig}. Every setting has a default: no arguments, no environment, no directories. */
    public static final class Builder {
        private String programName = "main.wasm";
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private boolean inheritEnv;
        private final List<PreopenDir> preopens = new ArrayList<>();
        private InputStream stdin;
        private OutputStream stdout;
        private OutputStream stderr;
        private Boolean stdioTerminal;
        private WasiClocks clocks = WasiClocks.system();
        private Random random;

        private Builder() {}

        /** {@code argv[0]}. */
        public Builder programName(String name) {
            this.programName = Objects.requireNonNull(name);
            return this;
        }

        /** Appends arguments after the program name. */
        public Builder args(List<String> arguments) {
            arguments.forEach(a -> args.add(Objects.requireNonNull(a)));
            return this;
        }

        public Builder arg(String argument) {
            args.add(Objects.requireNonNull(argument));
            return this;
        }

        /** Sets one variable; it overrides an inherited one of the same name. */
        public Builder env(String key, String value) {
            if (key.isEmpty() || key.indexOf('=') >= 0) throw new IllegalArgumentException("bad variable name '" + key + "'");
            env.put(key, Objects.requireNonNull(value));
            return this;
        }

        /** Sets one variable from {@code KEY=VALUE} (as {@code --env KEY=VALUE}). */
        public Builder env(String keyEqualsValue) {
            int eq = keyEqualsValue.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected KEY=VALUE, got '" + keyEqualsValue + "'");
            return env(keyEqualsValue.substring(0, eq), keyEqualsValue.substring(eq + 1));
        }

        /** Passes the host process's environment (sorted by name) before the explicit variables. */
        public Builder inheritEnv(boolean inherit) {
            this.inheritEnv = inherit;
            return this;
        }

        /** Adds a preopened directory; preopens get descriptors 3, 4, ... in the order added. */
        public Builder preopen(PreopenDir dir) {
            preopens.add(Objects.requireNonNull(dir));
            return this;
        }

        public Builder preopen(Path hostPath, String guestPath) {
            return preopen(new PreopenDir(hostPath, guestPath));
        }

        /** Standard input; by default the process's. */
        public Builder stdin(InputStream in) {
            this.stdin = in;
            return this;
        }

        /** Standard output; by default the process's (written through, not via {@link System#out}). */
        public Builder stdout(OutputStream out) {
            this.stdout = out;
            return this;
        }

        /** Standard error; by default the process's. */
        public Builder stderr(OutputStream err) {
            this.stderr = err;
            return this;
        }

        /**
         * Report the standard streams as a terminal (true) or not (false). By default the process's own
         * streams are detected ({@link java.io.Console#isTerminal}) and configured streams are not terminals.
         */
        public Builder stdioTerminal(boolean terminal) {
            this.stdioTerminal = terminal;
            return this;
        }

        public Builder clocks(WasiClocks clocks) {
            this.clocks = Objects.requireNonNull(clocks);
            return this;
        }

        /** Source of {@code random_get}; by default a {@link SecureRandom}. */
        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        public WasiConfig build() {
            return new WasiConfig(this);
        }
    }
}
