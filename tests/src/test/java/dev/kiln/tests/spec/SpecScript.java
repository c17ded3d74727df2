package dev.kiln.tests.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A spec-suite command script as wast2json writes it (format: ../shared/wasm-testsuite/README.md). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpecScript(@JsonProperty("source_filename") String sourceFilename, List<Command> commands) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static SpecScript read(Path json) throws IOException {
        return JSON.readValue(json.toFile(), SpecScript.class);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Command(String type, int line, String name, String filename, String text,
                          @JsonProperty("module_type") String moduleType, String as, Action action,
                          List<Value> expected, String instance, String module) {
        /** The command type as the report counts it: text-format assert_malformed apart. */
        public String reportType() {
            return type.equals("assert_malformed") && "text".equals(moduleType) ? "assert_malformed_text" : type;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Action(String type, String module, String field, List<Value> args) {
    }

    /** A value: {@code value} is a string, or an array of lane strings for v128. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Value(String type, JsonNode value, @JsonProperty("lane_type") String laneType, List<Value> values) {
    }
}
