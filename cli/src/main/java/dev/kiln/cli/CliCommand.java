package dev.kiln.cli;

import org.kohsuke.args4j.Option;

import java.io.PrintStream;
import java.util.List;

/**
 * A {@code kiln} subcommand. Subclasses declare their options and arguments with args4j
 * annotations; {@link Main} parses the command line into them and calls {@link #run}.
 */
public abstract class CliCommand {
    @Option(name = "--help", aliases = "-h", help = true, usage = "show this command's usage")
    boolean help;

    /** True when the command runs as the kiln process (it may end the process), false when embedded (tests). */
    boolean ownProcess;

    /** The subcommand's name on the command line. */
    public abstract String name();

    /** One line for {@code kiln --help}. */
    public abstract String summary();

    /** The argument synopsis after the command name, e.g. {@code "FILE..."}. */
    public abstract String synopsis();

    /**
     * Further objects whose args4j {@code @Option} fields belong to this command (a group of options
     * kept in its own class); none by default.
     */
    public List<Object> optionGroups() {
        return List.of();
    }

    /** Runs the command; returns the process exit code. */
    public abstract int run(PrintStream out, PrintStream err) throws Exception;
}
