package dev.kiln.cli;

import java.io.PrintStream;

/** A one-line progress display on a terminal (nothing when output is redirected). */
final class ProgressBar {
    private final PrintStream out;
    private final String label;
    private final int total;
    private final boolean enabled;
    private long lastDraw;

    ProgressBar(PrintStream out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.enabled = System.console() != null && System.console().isTerminal() && total >= 50;
    }

    void update(int done) {
        if (!enabled) return;
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        int width = 30;
        int filled = (int) ((long) width * done / Math.max(1, total));
        out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + " functions");
        if (done >= total) out.print("\r" + " ".repeat(label.length() + width + 30) + "\r");
        out.flush();
    }
}
