package dev.kiln.runtime.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README.md's "Use kiln from Java" examples are the {@code [readme:NAME]} regions of
 * {@link JavaApiExamplesTest}, character for character (indentation aside): the README cannot show
 * code that does not compile or run.
 */
class ReadmeExamplesTest {
    private static final String SECTION = "## Use kiln from Java";
    private static final Pattern REGION = Pattern.compile("// \\[readme:([a-z]+)]\\n(.*?)\\n\\s*// \\[/readme]", Pattern.DOTALL);
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyJavaExampleOfTheSectionIsATestedRegionAndEveryRegionIsShown() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "README.md has a section '" + SECTION + "'");
        int end = readme.indexOf("\n## ", start + SECTION.length());
        String section = readme.substring(start, end < 0 ? readme.length() : end);

        List<String> blocks = new ArrayList<>();
        Matcher b = BLOCK.matcher(section);
        while (b.find()) blocks.add(dedent(b.group(1)));

        String source = Files.readString(Path.of("src/test/java/dev/kiln/runtime/examples/JavaApiExamplesTest.java"));
        Map<String, String> regions = new LinkedHashMap<>();
        Matcher r = REGION.matcher(source);
        while (r.find()) regions.put(r.group(1), dedent(r.group(2)));
        assertTrue(regions.size() >= 6, "regions found: " + regions.keySet());

        for (String block : blocks) {
            assertTrue(regions.containsValue(block), "README example is not a tested region of JavaApiExamplesTest:\n" + block);
        }
        for (Map.Entry<String, String> e : regions.entrySet()) {
            assertTrue(blocks.contains(e.getValue()), "region '" + e.getKey() + "' is not in README.md's section:\n" + e.getValue());
        }
        assertEquals(regions.size(), blocks.size(), "one README block per region");
    }

    /** The lines without their common leading spaces, trailing blank lines dropped. */
    static String dedent(String text) {
        List<String> lines = new ArrayList<>(List.of(text.stripTrailing().split("\n", -1)));
        int indent = Integer.MAX_VALUE;
        for (String l : lines) if (!l.isBlank()) indent = Math.min(indent, l.length() - l.stripLeading().length());
        StringBuilder out = new StringBuilder();
        for (String l : lines) out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        return out.toString();
    }
}
