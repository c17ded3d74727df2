package dev.kiln.cli;

import org.kohsuke.args4j.ClassParser;
import org.kohsuke.args4j.CmdLineException;
import org.kohsuke.args4j.CmdLineParser;
import org.kohsuke.args4j.NamedOptionDef;
import org.kohsuke.args4j.ParserProperties;
import org.kohsuke.args4j.spi.BooleanOptionHandler;
import org.kohsuke.args4j.spi.OptionHandler;

import dev.kiln.runtime.internal.StartupPhases;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Entry point of the {@code kiln} command: dispatches to a subcommand. */
public final class Main {
    /** Exit code for a module or file error: bad input, a file that cannot be read or written (README: exit codes). */
    public static final int FAILED = 1;
    /** Exit code for a command-line usage error. */
    public static final int USAGE = 2;
    /** Exit code for an internal error: a bug in kiln. */
    public static final int INTERNAL = 3;

    private static final Map<String, Supplier<CliCommand>> COMMANDS = new LinkedHashMap<>();
    static {
        register(ValidateCommand::new);
        register(InspectCommand::new);
        register(RunCommand::new);
        register(IrCommand::new);
        register(CompileCommand::new);
        register(CacheCommand::new);
        register(ParseCommand::new);
        register(PrintCommand::new);
        register(WastCommandLine::new);
    }

    private Main() {
    }

    private static void register(Supplier<CliCommand> c) {
        COMMANDS.put(c.get().name(), c);
    }

    public static void main(String[] args) {
        StartupPhases.mark("main");
        int code = run(args, System.out, System.err, true);
        System.out.flush();
        System.exit(code);
    }

    /** Runs a kiln command line; returns its exit code. Never throws. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, false);
    }

    /** {@link #run(String[], PrintStream, PrintStream)}; {@code ownProcess}: the command may end the process (the kiln command). */
    private static int run(String[] args, PrintStream out, PrintStream err, boolean ownProcess) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? USAGE : 0;
        }
        Supplier<CliCommand> factory = COMMANDS.get(args[0]);
        if (factory == null) {
            err.println("kiln: unknown command '" + args[0] + "'");
            usage(err);
            return USAGE;
        }
        CliCommand cmd = factory.get();
        cmd.ownProcess = ownProcess;
        CmdLineParser parser = parser(cmd);
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (cmd instanceof TrailingArguments t) {
            int first = firstPositional(parser, rest, cmd instanceof RunCommand ? RunCommand.OPTIONAL_VALUE : Set.of());
            t.trailing(first < 0 ? List.of() : List.of(Arrays.copyOfRange(rest, first + 1, rest.length)));
            if (first >= 0) rest = Arrays.copyOfRange(rest, 0, first + 1);
        }
        try {
            parser.parseArgument(rest);
            StartupPhases.mark("args");
        } catch (CmdLineException e) {
            if (!cmd.help) {
                err.println("kiln " + cmd.name() + ": " + e.getMessage());
                commandUsage(cmd, parser, err);
                return USAGE;
            }
        }
        if (cmd.help) {
            commandUsage(factory.get(), null, out);
            return 0;
        }
        try {
            return cmd.run(out, err);
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            err.println("kiln " + cmd.name() + ": internal error (please report it): " + e);
            return INTERNAL;
        }
    }

    /** A parser for the command's options and arguments, and those of its option groups. */
    private static CmdLineParser parser(CliCommand cmd) {
        CmdLineParser parser = new CmdLineParser(cmd, ParserProperties.defaults().withUsageWidth(100).withShowDefaults(false));
        for (Object group : cmd.optionGroups()) new ClassParser().parse(group, parser);
        return parser;
    }

    /**
     * The index of the first positional argument in {@code args}, or -1. Options named in
     * {@code optionalValue} given without {@code =VALUE} are rewritten in place to {@code =text}.
     */
    private static int firstPositional(CmdLineParser parser, String[] args, Set<String> optionalValue) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) return i + 1 < args.length ? i + 1 : -1;
            if (!a.startsWith("-") || a.equals("-")) return i;
            if (optionalValue.contains(a)) {
                args[i] = a + "=text";
                continue;
            }
            if (a.contains("=")) continue;
            for (OptionHandler<?> h : parser.getOptions()) {
                OptionHandler<?> handler = h;
                var opt = (NamedOptionDef) handler.option;
                boolean named = opt.name().equals(a) || Arrays.asList(opt.aliases()).contains(a);
                if (named && !(handler instanceof BooleanOptionHandler)) {
                    i++; // skip the option's value
                    break;
                }
            }
        }
        return -1;
    }

    /** Prints a command's usage; defaults are read from a fresh instance, not from parsed values. */
    private static void commandUsage(CliCommand cmd, CmdLineParser ignored, PrintStream s) {
        CmdLineParser parser = parser(cmd);
        s.println("usage: kiln " + cmd.name() + " [OPTIONS] " + cmd.synopsis());
        s.println("  " + cmd.summary());
        s.println();
        parser.printUsage(s);
    }

    private static void usage(PrintStream s) {
        s.println("usage: kiln COMMAND [OPTIONS] ...   (kiln COMMAND --help for a command's options)");
        s.println();
        s.println("commands:");
        for (Supplier<CliCommand> f : COMMANDS.values()) {
            CliCommand c = f.get();
            s.printf("  %-10s %s%n", c.name(), c.summary());
        }
    }
}
