package dev.kiln.tests.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.wast.ScriptResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;

/**
 * A machine-readable spec report ({@code tests/target/spec-report.json} for the 2.0 suite,
 * {@code tests/target/spec-3.0-report.json} for the 3.0 suite):
 * {@code {"tiers": {"<tier>": {"<file>": {"<command type>": {"passed", "failed", "skipped"}}}}}}.
 * "skipped" counts the commands not run. Tiers run in this JVM replace the same tiers in an
 * existing report; other tiers are kept.
 */
public final class SpecReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SpecReport() {
    }

    public static synchronized void write(Path path, String tier, List<ScriptResult> results) throws IOException {
        ObjectNode root = Files.exists(path) ? (ObjectNode) JSON.readTree(path.toFile()) : JSON.createObjectNode();
        ObjectNode tiers = root.has("tiers") ? (ObjectNode) root.get("tiers") : root.putObject("tiers");
        ObjectNode t = tiers.has(tier) ? (ObjectNode) tiers.get(tier) : tiers.putObject(tier); // per script: the aarch64 tier's SIMD scripts run apart
        for (ScriptResult r : results.stream().sorted(Comparator.comparing(ScriptResult::file)).toList()) {
            ObjectNode f = t.putObject(r.file());
            r.counts().forEach((type, c) -> {
                ObjectNode n = f.putObject(type);
                n.put("passed", c[0]);
                n.put("failed", c[1]);
                n.put("skipped", c[2]);
            });
        }
        Files.createDirectories(path.getParent());
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
