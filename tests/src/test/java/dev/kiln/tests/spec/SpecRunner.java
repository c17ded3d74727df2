package dev.kiln.tests.spec;

import java.nio.file.Path;

/** Runs one spec script on one tier, command by command, and counts the outcomes. */
public final class SpecRunner {
    static final int PASSED = 0;
    static final int FAILED = 1;
    static final int SKIPPED = 2;

    private SpecRunner() {
    }

    public static FileResult run(SpecTier tier, Path json) throws Exception {
        SpecScript script = SpecScript.read(json);
        Path dir = json.getParent();
        FileResult result = new FileResult(script.sourceFilename());
        tier.reset();
        for (SpecScript.Command c : script.commands()) {
            String type = c.reportType();
            Superseded.Entry superseded = Superseded.of(script.sourceFilename(), c.line());
            if (superseded != null && c.filename() != null) type = Superseded.REPORT_TYPE;
            boolean needsGc = Spec3Suite.NEEDS_GC.contains(script.sourceFilename() + ":" + c.line());
            if (needsGc) type = "needs_gc";
            SpecTier.Outcome o;
            try {
                o = type.equals("assert_malformed_text") || needsGc ? null
                        : superseded != null && c.filename() != null ? Superseded.check(superseded, dir.resolve(c.filename()))
                        : tier.run(c, dir);
            } catch (Throwable t) {
                o = SpecTier.Outcome.fail("unexpected " + t);
            }
            if (o == null) {
                result.count(type, SKIPPED);
            } else if (o.passed()) {
                result.count(type, PASSED);
            } else {
                result.count(type, FAILED);
                result.failures.add(script.sourceFilename() + ":" + c.line() + " " + type + ": " + o.detail());
            }
        }
        return result;
    }
}
