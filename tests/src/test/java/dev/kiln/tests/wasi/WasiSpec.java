package dev.kiln.tests.wasi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to run one WASI test program and what to expect: a {@code NAME.json} of the WASI test suite
 * ({@code ../shared/wasi-testsuite/README.md}), in its plain form or its operations form, or of kiln's
 * own C programs, which add {@code stdin}, {@code stdout_length} and {@code stdout_sha256}.
 *
 * <p>Every key is understood or the spec is rejected ({@link IllegalArgumentException}), so no
 * expectation is ever silently ignored. A case that needs a network peer or a proposal beyond
 * preview 1 gets a {@link #notApplicable} reason instead of expectations.
 *
 * @param args          the program's arguments after its name
 * @param env           environment variables, in file order
 * @param root          directory (relative to the test's folder) preopened as the guest's {@code /}, or null
 * @param exitCode      the expected exit status
 * @param stdout        the exact expected standard output, or null when not checked
 * @param stderr        the exact expected standard error, or null when not checked
 * @param stdin         bytes for standard input (UTF-8 text), or null for an empty input
 * @param stdoutLength  the expected length of standard output in bytes, or null
 * @param stdoutSha256  the expected SHA-256 (hex) of standard output, or null
 * @param notApplicable why the case cannot run on a preview 1 runtime without a network, or null
 */
public record WasiSpec(List<String> args, Map<String, String> env, String root, int exitCode, String stdout,
                       String stderr, String stdin, Long stdoutLength, String stdoutSha256, String notApplicable) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PLAIN_KEYS = Set.of("args", "env", "root", "exit_code", "stdout", "stderr",
            "stdin", "stdout_length", "stdout_sha256");
    private static final Set<String> NETWORK_OPERATIONS = Set.of("connect", "send", "recv");

    public WasiSpec {
        args = List.copyOf(args);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** The defaults: no arguments, no environment, no directory, exit status 0, output not checked. */
    public static WasiSpec defaults() {
        return new WasiSpec(List.of(), Map.of(), null, 0, null, null, null, null, null, null);
    }

    /** Reads {@code json}; a file that does not exist means {@link #defaults()}. */
    public static WasiSpec read(Path json) throws IOException {
        if (!Files.exists(json)) return defaults();
        try {
            return parse(JSON.readTree(json.toFile()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(json + ": " + e.getMessage(), e);
        }
    }

    public static WasiSpec parse(String json) throws IOException {
        return parse(JSON.readTree(json));
    }

    public static WasiSpec parse(JsonNode n) {
        if (!n.isObject()) throw new IllegalArgumentException("a test specification is a JSON object");
        return n.has("operations") || n.has("proposals") ? operations(n) : plain(n);
    }

    private static WasiSpec plain(JsonNode n) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            String key = e.getKey();
            if (!PLAIN_KEYS.contains(key)) throw new IllegalArgumentException("unknown key '" + key + "'");
        }
        return new WasiSpec(strings(n.get("args")), env(n.get("env")), text(n, "root"),
                n.has("exit_code") ? integer(n.get("exit_code"), "exit_code") : 0,
                text(n, "stdout"), text(n, "stderr"), text(n, "stdin"),
                n.has("stdout_length") ? (long) integer(n.get("stdout_length"), "stdout_length") : null,
                text(n, "stdout_sha256"), null);
    }

    private static WasiSpec operations(JsonNode n) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            String key = e.getKey();
            if (!key.equals("operations") && !key.equals("proposals")) {
                throw new IllegalArgumentException("unknown key '" + key + "' beside operations");
            }
        }
        List<String> proposals = strings(n.get("proposals"));
        Set<String> network = new LinkedHashSet<>();
        JsonNode ops = n.get("operations");
        if (ops != null && !ops.isArray()) throw new IllegalArgumentException("operations: expected an array");
        List<JsonNode> list = new ArrayList<>();
        if (ops != null) ops.forEach(list::add);
        for (JsonNode op : list) {
            String type = text(op, "type");
            if (type != null && NETWORK_OPERATIONS.contains(type)) network.add(type);
        }
        if (!proposals.isEmpty() || !network.isEmpty()) {
            List<String> why = new ArrayList<>();
            if (!network.isEmpty()) why.add("needs a network peer (operations " + String.join(", ", network) + ")");
            if (!proposals.isEmpty()) why.add("needs proposal(s) " + String.join(", ", proposals) + ", which WASI preview 1 does not have");
            return new WasiSpec(List.of(), Map.of(), null, 0, null, null, null, null, null, String.join("; ", why));
        }
        List<String> args = List.of();
        Map<String, String> env = Map.of();
        String root = null;
        Integer exit = null;
        StringBuilder stdout = null;
        StringBuilder stderr = null;
        boolean ran = false;
        for (JsonNode op : list) {
            String type = text(op, "type");
            if (type == null) throw new IllegalArgumentException("an operation without a type: " + op);
            switch (type) {
                case "run" -> {
                    if (ran) throw new IllegalArgumentException("more than one run operation");
                    ran = true;
                    only(op, "type", "args", "env", "root");
                    args = strings(op.get("args"));
                    env = env(op.get("env"));
                    root = text(op, "root");
                }
                case "read" -> {
                    only(op, "type", "id", "payload");
                    String id = text(op, "id");
                    String payload = text(op, "payload");
                    if (payload == null) throw new IllegalArgumentException("read without a payload: " + op);
                    if ("stdout".equals(id)) stdout = (stdout == null ? new StringBuilder() : stdout).append(payload);
                    else if ("stderr".equals(id)) stderr = (stderr == null ? new StringBuilder() : stderr).append(payload);
                    else throw new IllegalArgumentException("read from unknown stream '" + id + "'");
                }
                case "wait" -> {
                    only(op, "type", "exit_code");
                    exit = op.has("exit_code") ? integer(op.get("exit_code"), "exit_code") : 0;
                }
                default -> throw new IllegalArgumentException("unknown operation type '" + type + "'");
            }
        }
        if (!ran) throw new IllegalArgumentException("no run operation");
        return new WasiSpec(args, env, root, exit == null ? 0 : exit, stdout == null ? null : stdout.toString(),
                stderr == null ? null : stderr.toString(), null, null, null, null);
    }

    private static void only(JsonNode op, String... keys) {
        Set<String> allowed = Set.of(keys);
        for (Map.Entry<String, JsonNode> e : op.properties()) {
            String key = e.getKey();
            if (!allowed.contains(key)) throw new IllegalArgumentException("unknown key '" + key + "' in operation " + op);
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new IllegalArgumentException(key + ": expected a string, got " + v);
        return v.asText();
    }

    private static int integer(JsonNode v, String key) {
        if (!v.isIntegralNumber()) throw new IllegalArgumentException(key + ": expected an integer, got " + v);
        return v.intValue();
    }

    private static List<String> strings(JsonNode v) {
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw new IllegalArgumentException("expected an array of strings, got " + v);
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) throw new IllegalArgumentException("expected a string, got " + e);
            out.add(e.asText());
        }
        return out;
    }

    private static Map<String, String> env(JsonNode v) {
        if (v == null || v.isNull()) return Map.of();
        if (!v.isObject()) throw new IllegalArgumentException("env: expected an object, got " + v);
        Map<String, String> out = new LinkedHashMap<>();
        v.properties().forEach(e -> {
            if (!e.getValue().isTextual()) throw new IllegalArgumentException("env." + e.getKey() + ": expected a string");
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }
}
