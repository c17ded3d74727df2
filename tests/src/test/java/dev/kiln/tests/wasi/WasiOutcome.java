package dev.kiln.tests.wasi;

import dev.kiln.runtime.Tier;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The verdict on one case on one tier.
 *
 * @param caseId  {@code folder/name}
 * @param tier    the tier's report name
 * @param status  passed, failed or not applicable
 * @param reason  for a failure, what did not match (one line per mismatch); for a case that is not
 *                applicable, why; else null
 * @param result  what the run produced (null when it did not run)
 */
public record WasiOutcome(String caseId, String tier, Status status, String reason, WasiExecution.Result result) {
    public enum Status {
        PASSED("passed"), FAILED("failed"), NOT_APPLICABLE("not applicable");

        public final String text;

        Status(String text) {
            this.text = text;
        }
    }

    public static WasiOutcome notApplicable(String caseId, String tier, String reason) {
        return new WasiOutcome(caseId, tier, Status.NOT_APPLICABLE, reason, null);
    }

    public static WasiOutcome failed(String caseId, String tier, String reason) {
        return new WasiOutcome(caseId, tier, Status.FAILED, reason, null);
    }

    /**
     * Compares a run with its specification: the exit status, and every output the specification
     * states (exactly, or by length and SHA-256). A case passes when all match (the suite's rule).
     */
    public static WasiOutcome judge(String caseId, WasiTier tier, WasiSpec spec, WasiExecution.Result r) {
        List<String> mismatches = new ArrayList<>();
        long inspected = Math.min(r.hostCalls(), WasiExecution.INSPECTED_CALLS);
        if (tier.tier() == Tier.NATIVE && r.interpretedHostCalls() > 0) {
            mismatches.add(r.interpretedHostCalls() + " WASI call(s) came from interpreted code on the native tier");
        } else if (tier.tier() == Tier.INTERP && r.interpretedHostCalls() != inspected) {
            mismatches.add((inspected - r.interpretedHostCalls()) + " WASI call(s) did not come from the interpreter");
        }
        if (r.failure() != null) {
            mismatches.add(r.failure());
        } else {
            if (r.exitCode() != spec.exitCode()) {
                mismatches.add("exit status " + r.exitCode() + ", expected " + spec.exitCode()
                        + (r.trap() != null ? " (" + r.trap().replace("\n", " | ") + ")" : ""));
            }
            if (spec.stdout() != null && !spec.stdout().equals(r.stdoutText())) {
                mismatches.add("stdout " + quote(r.stdoutText()) + ", expected " + quote(spec.stdout()));
            }
            if (spec.stderr() != null && !spec.stderr().equals(r.stderrText())) {
                mismatches.add("stderr " + quote(r.stderrText()) + ", expected " + quote(spec.stderr()));
            }
            if (spec.stdoutLength() != null && spec.stdoutLength() != r.stdout().length) {
                mismatches.add("stdout has " + r.stdout().length + " bytes, expected " + spec.stdoutLength());
            }
            if (spec.stdoutSha256() != null && !spec.stdoutSha256().equalsIgnoreCase(sha256(r.stdout()))) {
                mismatches.add("stdout SHA-256 " + sha256(r.stdout()) + ", expected " + spec.stdoutSha256());
            }
        }
        if (!mismatches.isEmpty() && r.failure() == null && r.stderr().length > 0) {
            mismatches.add("stderr: " + quote(r.stderrText()));
        }
        return new WasiOutcome(caseId, tier.name(), mismatches.isEmpty() ? Status.PASSED : Status.FAILED,
                mismatches.isEmpty() ? null : String.join("\n", mismatches), r);
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A string as a short, escaped, quoted excerpt for a message. */
    static String quote(String s) {
        String shown = s.length() > 400 ? s.substring(0, 400) : s;
        StringBuilder b = new StringBuilder("\"");
        for (char c : shown.toCharArray()) {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
        if (shown.length() < s.length()) b.append("... (").append(s.getBytes(StandardCharsets.UTF_8).length).append(" bytes)");
        return b.toString();
    }
}
