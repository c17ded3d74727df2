package dev.kiln.backend.aarch64;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides when the assembler must interrupt the code with an island: a branch over veneers for
 * short-range forward branches whose labels are still unbound, followed by the pending literal
 * pool. It tracks the short-range references and computes the latest offset at which an island
 * can start with every one of them (and every pending literal load) still in range.
 */
final class IslandPlanner {
    /** Slack for the instruction about to be emitted and the reference it may add. */
    static final int MARGIN = 64;

    private final List<LabelUse> veneerCandidates = new ArrayList<>();
    private long minVeneerDeadline = Long.MAX_VALUE;

    void addVeneerCandidate(LabelUse use) {
        veneerCandidates.add(use);
        minVeneerDeadline = Math.min(minVeneerDeadline, use.deadline());
    }

    /** Drops references whose labels have been bound, making the deadlines exact again. */
    void purge() {
        veneerCandidates.removeIf(u -> u.done);
        minVeneerDeadline = Long.MAX_VALUE;
        for (LabelUse u : veneerCandidates) {
            minVeneerDeadline = Math.min(minVeneerDeadline, u.deadline());
        }
    }

    /**
     * The pending short-range references that need a veneer in an island starting at
     * {@code islandStart}: those that have used up half their reach, or that are as close to their
     * deadline as an island of all pending veneers would be long, or, for an island before a region
     * that must stay free of islands up to {@code regionEnd} (pass {@code islandStart} when there is
     * none), those whose deadline falls before the region's end, since no later island could serve
     * them. The others stay pending; their labels may still come within reach, or a later island
     * will serve them.
     */
    List<LabelUse> takeVeneerCandidates(long islandStart, long regionEnd) {
        purge();
        long slack = 4L * veneerCandidates.size() + 2L * MARGIN;
        List<LabelUse> urgent = new ArrayList<>();
        List<LabelUse> later = new ArrayList<>();
        for (LabelUse use : veneerCandidates) {
            long left = use.deadline() - islandStart;
            boolean expiresInRegion = regionEnd > islandStart && use.deadline() <= regionEnd + slack;
            (left <= Math.max(use.op.field.maxForward() / 2, slack) || expiresInRegion ? urgent : later).add(use);
        }
        veneerCandidates.clear();
        veneerCandidates.addAll(later);
        purge();
        return urgent;
    }

    boolean hasVeneerCandidates() {
        return !veneerCandidates.isEmpty();
    }

    /**
     * The latest island start keeping everything pending in range, less {@link #MARGIN}; or
     * {@code Long.MAX_VALUE} when nothing is pending. The island is: a 4-byte branch, one 4-byte
     * veneer per reference, then the constants with up to 4 bytes of alignment before the 8-byte
     * ones and up to 12 before the 16-byte ones.
     */
    long latestStart(LiteralPool pool) {
        long veneerBytes = 4L * veneerCandidates.size();
        long latest = Long.MAX_VALUE;
        if (!veneerCandidates.isEmpty()) {
            latest = minVeneerDeadline - veneerBytes - MARGIN;
        }
        if (!pool.isEmpty()) {
            latest = Math.min(latest, pool.minDeadline() - 20 - veneerBytes - pool.pendingBytes() - MARGIN);
        }
        return latest;
    }
}
