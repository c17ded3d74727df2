package dev.kiln.tests.fuzz.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.ir.TrapKind;
import dev.kiln.tests.fuzz.wasm.NumType;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The oracle side of the differential check: wasmtime (Cranelift) through {@link WasmtimeOracle}. */
final class WasmtimeEngine implements Engine {
    private final WasmtimeOracle oracle;

    WasmtimeEngine(WasmtimeOracle oracle) {
        this.oracle = oracle;
    }

    @Override
    public String name() {
        return "wasmtime";
    }

    @Override
    public boolean needsRelaxedExpansion() {
        return true;
    }

    @Override
    public String instantiate(byte[] wasm) {
        JsonNode a = oracle.request(WasmtimeOracle.command("instantiate").put("wasm", Base64.getEncoder().encodeToString(wasm)));
        return a.path("ok").asBoolean() ? null : a.path("error").asText();
    }

    @Override
    public Outcome call(String export, List<NumType> params, List<NumType> results, long[] args) {
        ObjectNode req = WasmtimeOracle.command("call").put("name", export);
        ArrayNode as = req.putArray("args");
        for (int i = 0; i < args.length; i++) as.add("0x" + Long.toHexString(params.get(i).normalize(args[i])));
        JsonNode a = oracle.request(req);
        if (!a.path("ok").asBoolean()) return Outcome.failed(a.path("error").asText());
        if (a.has("exception")) {
            JsonNode e = a.path("exception");
            List<String> fields = WasmtimeOracle.strings(e.path("payload"));
            long[] raw = new long[fields.size()];
            for (int i = 0; i < raw.length; i++) raw[i] = Long.parseUnsignedLong(fields.get(i).substring(2), 16);
            List<NumType> types = WasmtimeOracle.strings(e.path("types")).stream().map(NumType::byName).toList();
            return Outcome.uncaught(e.path("tag").isTextual() ? e.path("tag").asText() : "?", types, raw);
        }
        if (a.has("trap")) {
            TrapKind k = WasmtimeTraps.kind(a.path("trap").asText());
            return k != null ? Outcome.trapped(k) : Outcome.failed("unmapped wasmtime trap " + a.path("trap").asText() + ": " + a.path("message").asText());
        }
        List<String> rs = WasmtimeOracle.strings(a.path("results"));
        long[] raw = new long[rs.size()];
        for (int i = 0; i < raw.length; i++) raw[i] = Long.parseUnsignedLong(rs.get(i).substring(2), 16);
        return Outcome.returned(results, raw);
    }

    @Override
    public EngineState state(List<String> globals, String memory) {
        ObjectNode req = WasmtimeOracle.command("state");
        ArrayNode gs = req.putArray("globals");
        globals.forEach(gs::add);
        if (memory != null) req.put("memory", memory);
        JsonNode a = oracle.request(req);
        if (!a.path("ok").asBoolean()) return EngineState.failed(a.path("error").asText());
        Map<String, Long> values = new HashMap<>();
        a.path("globals").properties().forEach(e -> values.put(e.getKey(), Long.parseUnsignedLong(e.getValue().asText().substring(2), 16)));
        JsonNode m = a.path("memory");
        if (m.isNull() || m.isMissingNode()) return new EngineState(values, -1, null, null);
        return new EngineState(values, m.path("size").asLong(), m.path("sha256").asText(), null);
    }

    @Override
    public byte[] memory(String name) {
        JsonNode a = oracle.request(WasmtimeOracle.command("memory").put("name", name));
        if (!a.path("ok").asBoolean()) throw new IllegalStateException(a.path("error").asText());
        return Base64.getDecoder().decode(a.path("bytes").asText());
    }

    @Override
    public void close() {
        // the process stays for the next module; the oracle owner closes it
    }
}
