package dev.kiln.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.kohsuke.args4j.Argument;
import org.kohsuke.args4j.Option;

import java.io.PrintStream;
import java.nio.file.Path;

/** {@code kiln inspect FILE}: sections, types, imports, exports, functions; {@code --json} for tools. */
final class InspectCommand extends CliCommand {
    @Argument(metaVar = "FILE", usage = "module (.wasm or .wat)", required = true)
    Path file;

    @Option(name = "--json", usage = "print a machine-readable JSON document")
    boolean json;

    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "show a module's sections, types, imports, exports and functions";
    }

    @Override
    public String synopsis() {
        return "FILE";
    }

    @Override
    public int run(PrintStream out, PrintStream err) throws Exception {
        ModuleSummary s;
        try {
            s = ModuleSummary.of(file.toString(), ModuleFiles.load(file, err));
        } catch (ModuleFiles.Reported e) {
            return 1;
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .setSerializationInclusion(JsonInclude.Include.NON_NULL);
            out.println(mapper.writeValueAsString(s));
        } else {
            out.print(s.text());
        }
        return 0;
    }
}
