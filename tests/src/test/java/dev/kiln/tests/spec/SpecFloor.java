package dev.kiln.tests.spec;

import dev.kiln.wast.CommandStatus;
import dev.kiln.wast.ScriptResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The floor of a suite on a tier: how many commands of each script passed when the floor was last
 * raised. A script that passes fewer fails its test, so a runner that silently skips more cannot
 * pass. The floors live in the repository, {@code tests/spec-floor/<suite>/<tier>.tsv} (script,
 * tab, passed commands). To raise them after kiln runs more (a tier that executes a new feature):
 * {@code ./run-tests spec aarch64} with {@code KILN_SPEC_RAISE_FLOOR=1}, or
 * {@code mvn test -pl tests -am -Dkiln.spec.raiseFloor=true -Dtest='*SpecTest'}; only counts that
 * went up are written, and the change is committed with the work that made it.
 */
final class SpecFloor {
    private final Path file;
    private final Map<String, Integer> floor = new TreeMap<>();

    SpecFloor(String suite, String tier) {
        this.file = Path.of("spec-floor", suite, tier + ".tsv");
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file)) {
                    if (line.isBlank() || line.startsWith("#")) continue;
                    String[] parts = line.split("\t");
                    floor.put(parts[0], Integer.parseInt(parts[1].trim()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Null when the script passed at least its floor, else what went wrong. */
    String check(ScriptResult r) {
        Integer min = floor.get(r.file());
        int passed = r.total(CommandStatus.PASSED);
        if (min == null || passed >= min) return null;
        return r.file() + ": " + passed + " commands passed, fewer than the floor of " + min + " (" + file + ")";
    }

    static boolean raising() {
        return Boolean.getBoolean("kiln.spec.raiseFloor") || "1".equals(System.getenv("KILN_SPEC_RAISE_FLOOR"));
    }

    /** Writes the floor raised to the passed counts of {@code results} (a count never goes down). */
    synchronized void raise(List<ScriptResult> results) throws IOException {
        for (ScriptResult r : results) floor.merge(r.file(), r.total(CommandStatus.PASSED), Math::max);
        StringBuilder sb = new StringBuilder("# commands passed per script; see SpecFloor for how to raise it\n");
        floor.forEach((f, n) -> sb.append(f).append('\t').append(n).append('\n'));
        Files.createDirectories(file.getParent());
        Files.writeString(file, sb);
    }
}
