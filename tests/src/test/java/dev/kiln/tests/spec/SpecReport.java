package dev.kiln.tests.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine-readable spec report, {@code tests/target/spec-report.json}:
 * {@code {"tiers": {"<tier>": {"<file>.wast": {"<command type>": {"passed", "failed", "skipped"}}}}}}.
 * Tiers run in this JVM replace the same tiers in an existing report; other tiers are kept.
 */
public final class SpecReport {
    public static final Path PATH = Path.of("target", "spec-report.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SpecReport() {
    }

    public static void write(String tier, List<FileResult> results) throws IOException {
        write(PATH, tier, results);
    }

    /** Writes a tier into the report at {@code path} (the 2.0 report or the 3.0 one). */
    public static synchronized void write(Path path, String tier, List<FileResult> results) throws IOException {
        final Path PATH = path;
        ObjectNode root = Files.exists(PATH) ? (ObjectNode) JSON.readTree(PATH.toFile()) : JSON.createObjectNode();
        ObjectNode tiers = root.has("tiers") ? (ObjectNode) root.get("tiers") : root.putObject("tiers");
        ObjectNode t = tiers.putObject(tier);
        for (FileResult r : results) {
            ObjectNode f = t.putObject(r.file);
            r.counts.forEach((type, c) -> {
                ObjectNode n = f.putObject(type);
                n.put("passed", c[0]);
                n.put("failed", c[1]);
                n.put("skipped", c[2]);
            });
        }
        Files.createDirectories(PATH.getParent());
        Path tmp = PATH.resolveSibling(PATH.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, PATH, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
