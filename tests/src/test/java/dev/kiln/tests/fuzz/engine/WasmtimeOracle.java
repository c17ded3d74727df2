package dev.kiln.tests.fuzz.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The wasmtime helper process ({@code fuzz/wasmtime_oracle.py} on the test classpath) run by a
 * Python that has the {@code wasmtime} package: one process for many modules, JSON lines over
 * its stdin and stdout. Which Python: the system property {@code kiln.wasmtime.python} (set by
 * {@code ./run-tests}), else {@code .venv/bin/python} in the tests module, else none.
 */
public final class WasmtimeOracle implements AutoCloseable {
    /** Longest wait for one answer; generated programs are small and terminate by construction. */
    private static final long TIMEOUT_SECONDS = 120;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wasmtime-oracle-reader");
        t.setDaemon(true);
        return t;
    });
    private final String version;

    private WasmtimeOracle(Path python) throws IOException {
        process = new ProcessBuilder(python.toString(), "-u", script().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        ObjectNode hello = JSON.createObjectNode().put("cmd", "version");
        version = request(hello).path("wasmtime").asText();
    }

    /** The oracle, or null with the reason printed when no usable Python with wasmtime is found. */
    public static WasmtimeOracle startOrNull() {
        Path python = python();
        if (python == null) {
            System.err.println("fuzz: no Python with wasmtime (set -Dkiln.wasmtime.python or create tests/.venv); running without the oracle");
            return null;
        }
        try {
            return new WasmtimeOracle(python);
        } catch (IOException | EngineUnavailableException e) {
            System.err.println("fuzz: the wasmtime oracle does not start with " + python + ": " + e.getMessage());
            return null;
        }
    }

    /** Whether the oracle must be there (the test command sets {@code -Dkiln.oracle.required=true}). */
    public static boolean required() {
        return Boolean.getBoolean("kiln.oracle.required");
    }

    private static Path python() {
        String p = System.getProperty("kiln.wasmtime.python");
        if (p != null && !p.isBlank()) return Path.of(p);
        Path venv = Path.of(".venv", "bin", "python");
        return Files.isExecutable(venv) ? venv.toAbsolutePath() : null;
    }

    private static Path script() throws IOException {
        URL url = WasmtimeOracle.class.getResource("/fuzz/wasmtime_oracle.py");
        if (url == null) throw new IOException("fuzz/wasmtime_oracle.py is not on the test classpath");
        try {
            if (url.getProtocol().equals("file")) return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Path tmp = Files.createTempFile("wasmtime_oracle", ".py");
        tmp.toFile().deleteOnExit();
        try (InputStream s = url.openStream()) {
            Files.copy(s, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        return tmp;
    }

    public String version() {
        return version;
    }

    /** Sends one request and returns its answer; an answer with {@code "ok": false} comes back as is. */
    synchronized JsonNode request(ObjectNode req) {
        try {
            in.write(JSON.writeValueAsString(req));
            in.write('\n');
            in.flush();
            Future<String> line = reader.submit(out::readLine);
            String answer = line.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (answer == null) throw new EngineUnavailableException("the wasmtime oracle exited (" + exitStatus() + ")", null);
            return JSON.readTree(answer);
        } catch (IOException | ExecutionException e) {
            throw new EngineUnavailableException("the wasmtime oracle failed: " + e, e);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new EngineUnavailableException("the wasmtime oracle did not answer \"" + req.path("cmd").asText()
                    + "\" within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("interrupted", e);
        }
    }

    private String exitStatus() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? "status " + process.exitValue() : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Null when wasmtime accepts the module, else its reason. */
    public String validationError(byte[] wasm) {
        JsonNode a = request(JSON.createObjectNode().put("cmd", "validate").put("wasm", Base64.getEncoder().encodeToString(wasm)));
        if (!a.path("ok").asBoolean()) throw new EngineUnavailableException("validate failed: " + a.path("error").asText(), null);
        return a.path("valid").asBoolean() ? null : a.path("error").asText();
    }

    /** wasmtime's binary for a text module: its bytes, or the parser's error as an exception of its own. */
    public byte[] wat2wasm(String text) throws TextRejected {
        JsonNode a = request(JSON.createObjectNode().put("cmd", "wat2wasm").put("text", text));
        if (!a.path("ok").asBoolean()) throw new EngineUnavailableException("wat2wasm failed: " + a.path("error").asText(), null);
        if (a.has("error")) throw new TextRejected(a.path("error").asText());
        return Base64.getDecoder().decode(a.path("wasm").asText());
    }

    /**
     * Runs a WASI program's {@code _start} as {@code wasmtime run FILE ARGS...} would (the program's name is
     * {@code main}; no directories, no environment) and returns its exit status and what it wrote to stdout.
     */
    public WasiRun runWasi(byte[] wasm, List<String> args) {
        ObjectNode req = JSON.createObjectNode().put("cmd", "wasi_run").put("wasm", Base64.getEncoder().encodeToString(wasm));
        args.forEach(req.putArray("args")::add);
        JsonNode a = request(req);
        if (!a.path("ok").asBoolean()) throw new EngineUnavailableException("wasi_run failed: " + a.path("error").asText(), null);
        byte[] stdout = Base64.getDecoder().decode(a.path("stdout").asText());
        String trap = a.has("trap") ? a.path("trap").asText() + ": " + a.path("message").asText() : null;
        return new WasiRun(a.path("exit").asInt(-1), trap, stdout);
    }

    /**
     * The Wasm stack of the trap {@code export(args)} (i32 arguments) of a fresh instance of {@code wasm} makes
     * under wasmtime, innermost first: each frame's function index and module offset; null when it does not trap.
     */
    public List<int[]> trapFrames(byte[] wasm, String export, int... args) {
        JsonNode made = request(command("instantiate").put("wasm", Base64.getEncoder().encodeToString(wasm)));
        if (!made.path("ok").asBoolean()) throw new EngineUnavailableException("instantiate failed: " + made.path("error").asText(), null);
        ObjectNode req = command("call").put("name", export);
        ArrayNode as = req.putArray("args");
        for (int a : args) as.add("0x" + Integer.toHexString(a));
        JsonNode a = request(req);
        if (!a.path("ok").asBoolean()) throw new EngineUnavailableException("call failed: " + a.path("error").asText(), null);
        if (!a.has("trap")) return null;
        List<int[]> frames = new ArrayList<>();
        a.path("frames").forEach(f -> frames.add(new int[] {f.get(0).asInt(), f.get(1).asInt()}));
        return frames;
    }

    /** A WASI program's run under wasmtime: its exit status (-1 after a trap), the trap (else null) and its stdout. */
    public record WasiRun(int exitCode, String trap, byte[] stdout) {
    }

    /** wasmtime's text parser rejected a text. */
    public static final class TextRejected extends Exception {
        public TextRejected(String message) {
            super(message, null, false, false);
        }
    }

    /** A fresh engine side over this process (one instance at a time). */
    public Engine engine() {
        return new WasmtimeEngine(this);
    }

    static ObjectNode command(String cmd) {
        return JSON.createObjectNode().put("cmd", cmd);
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // the process is going away anyway
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        reader.shutdownNow();
    }
}
