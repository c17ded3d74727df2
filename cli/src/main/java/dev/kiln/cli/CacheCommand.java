package dev.kiln.cli;

import dev.kiln.linker.CacheEntry;
import dev.kiln.linker.CacheVerification;
import dev.kiln.linker.CodeCache;
import dev.kiln.linker.RegularFiles;
import org.kohsuke.args4j.Argument;
import org.kohsuke.args4j.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** {@code kiln cache list|verify|clear [--cache-dir DIR]}. */
final class CacheCommand extends CliCommand {
    @Argument(metaVar = "ACTION", usage = "list, verify or clear", required = true)
    String action;

    @Option(name = "--cache-dir", metaVar = "DIR", usage = "code cache directory (default: KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else ~/.cache/kiln)")
    Path cacheDir;

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public String summary() {
        return "list, verify or clear the code cache";
    }

    @Override
    public String synopsis() {
        return "list|verify|clear";
    }

    @Override
    public int run(PrintStream out, PrintStream err) throws Exception {
        CodeCache cache = CacheOptions.open(cacheDir);
        try {
            return act(cache, out, err);
        } catch (NoSuchFileException e) {
            out.println(cache.directory() + ": no cache here (0 entries)");
            return 0;
        } catch (IOException e) {
            err.println("kiln cache: " + cache.directory() + ": " + RegularFiles.reason(e));
            return Main.FAILED;
        }
    }

    private int act(CodeCache cache, PrintStream out, PrintStream err) throws IOException {
        switch (action) {
            case "list" -> {
                List<CacheEntry> entries = cache.list();
                out.println(cache.directory() + ": " + entries.size() + " entries");
                for (CacheEntry e : entries) {
                    if (e.valid()) {
                        out.printf("  %s  %-7s  %8d bytes  %4d/%d functions  module %s  %s%n", e.key().toString().substring(0, 16),
                                e.target(), e.size(), e.compiledCount(), e.functionCount(), e.moduleHashHex().substring(0, 16), e.modified());
                    } else {
                        out.printf("  %s  CORRUPT: %s%n", e.path().getFileName(), e.problem());
                    }
                }
                return 0;
            }
            case "verify" -> {
                CacheVerification v = cache.verify();
                out.println(cache.directory() + ": " + v.validEntries() + " valid entries, " + v.problems().size() + " problems");
                for (CacheVerification.Problem p : v.problems()) {
                    out.println("  " + p.path().getFileName() + ": " + p.reason() + (p.removed() ? " (removed)" : ""));
                }
                return v.problems().isEmpty() ? 0 : Main.FAILED;
            }
            case "clear" -> {
                out.println(cache.directory() + ": removed " + cache.clear() + " entries");
                return 0;
            }
            default -> {
                err.println("kiln cache: unknown action '" + action + "' (list, verify or clear)");
                return Main.USAGE;
            }
        }
    }
}
