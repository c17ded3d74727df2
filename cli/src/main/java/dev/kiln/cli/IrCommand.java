package dev.kiln.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.frontend.Export;
import dev.kiln.frontend.ExternKind;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.IrBuilder;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.IrPrinter;
import dev.kiln.ir.IrVerifier;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.pass.EdgeSplitting;
import dev.kiln.ir.pass.FuelPoints;
import dev.kiln.ir.pass.Inlining;
import dev.kiln.ir.pass.Optimizer;
import dev.kiln.regalloc.Allocation;
import dev.kiln.regalloc.FrameSlotsOnly;
import dev.kiln.regalloc.LinearScan;
import dev.kiln.regalloc.Location;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.HostCpu;
import org.kohsuke.args4j.Argument;
import org.kohsuke.args4j.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kiln ir FILE [--func NAME|INDEX] [--stage built|optimized|allocated] [--json]}: the IR
 * kiln builds for each function, verified after every pass.
 */
final class IrCommand extends CliCommand {
    enum Stage { built, optimized, allocated, asm }

    @Argument(metaVar = "FILE", usage = "module (.wasm or .wat)", required = true)
    Path file;

    @Option(name = "--func", metaVar = "NAME|INDEX", usage = "only this function (name-section or export name, or index)")
    String func;

    @Option(name = "--stage", metaVar = "STAGE", usage = "built | optimized (default) | allocated | asm (the machine code listing)")
    Stage stage = Stage.optimized;

    @Option(name = "--target", metaVar = "TARGET", usage = "the IR as that target's backend lowers it (with the native mid-end), and for allocated and asm its registers and instructions (x86_64, "
            + "x86_64-v2, x86_64-v3 or aarch64; default: this machine's); default for allocated: interpreter frame slots")
    String target;

    @Option(name = "--json", usage = "print a JSON array of functions")
    boolean json;

    @Option(name = "--fuel", usage = "as compiled for fuel metering (optimized and later stages mark the fuel points)")
    boolean fuel;

    @Override
    public String name() {
        return "ir";
    }

    @Override
    public String summary() {
        return "print the register IR of a module's functions";
    }

    @Override
    public String synopsis() {
        return "FILE";
    }

    @Override
    public int run(PrintStream out, PrintStream err) throws Exception {
        ValidatedModule vm;
        try {
            vm = ModuleFiles.load(file, err);
        } catch (ModuleFiles.Reported e) {
            return 1;
        }
        Module m = vm.module();
        List<Integer> selected = new ArrayList<>();
        if (func == null) {
            for (int i = m.importedFunctionCount(); i < m.functionCount(); i++) selected.add(i);
        } else {
            int idx = resolve(m, func);
            if (idx < 0) {
                err.println(file + ": no function named '" + func + "'");
                return 1;
            }
            if (m.isImportedFunction(idx)) {
                err.println(file + ": function " + idx + " (" + m.functionDisplayName(idx) + ") is imported and has no body");
                return 1;
            }
            selected.add(idx);
        }
        Backend backend = null;
        if (stage == Stage.asm || target != null) {
            try {
                CpuFeatures t = target == null ? HostCpu.level()
                        : CpuFeatures.parse(target);
                if (t == null) throw new IllegalArgumentException("this machine has no native target; choose one with --target");
                backend = Backends.forCpu(t);
            } catch (RuntimeException e) {
                err.println("kiln ir: " + e.getMessage());
                return Main.USAGE;
            }
        }
        CodeOptions options = fuel ? CodeOptions.FUEL : CodeOptions.DEFAULT;
        if (stage == Stage.asm) return listing(vm, selected, backend, options, out);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode all = mapper.createArrayNode();
        for (int idx : selected) {
            IrFunction f = IrBuilder.build(vm, idx);
            IrVerifier.verify(m, f);
            Allocation alloc = null;
            if (stage != Stage.built) Optimizer.optimize(f, (pass, fn) -> IrVerifier.verify(m, fn));
            // for a target: the IR its backend lowers (small callees inlined unless metering fuel, then the native
            // mid-end, after the shared pipeline: as Preparation.forBackend)
            if (stage != Stage.built && backend != null) {
                if (!fuel && new Inlining(vm).run(f)) IrVerifier.verify(m, f);
                Optimizer.optimizeForNative(f, (pass, fn) -> IrVerifier.verify(m, fn));
            }
            if (stage != Stage.built && fuel) {
                new FuelPoints().run(f);
                IrVerifier.verify(m, f);
            }
            if (stage == Stage.allocated) {
                new EdgeSplitting().run(f);
                IrVerifier.verify(m, f);
                if (backend != null && !json) {
                    out.print(IrPrinter.print(f, backend.allocationNames(f)));
                    out.println();
                    continue;
                }
                alloc = LinearScan.allocate(f, FrameSlotsOnly.INSTANCE);
            }
            if (json) {
                ObjectNode node = IrJson.toJson(f);
                if (alloc != null) {
                    ObjectNode locs = node.putObject("locations");
                    for (int v = 0; v < f.valueCount(); v++) {
                        if (alloc.location(v) != Location.NONE) locs.put("v" + v, Location.toString(alloc.location(v)));
                    }
                    node.put("frameSlots", alloc.slotCount());
                }
                all.add(node);
            } else if (alloc != null) {
                Allocation a = alloc;
                out.print(IrPrinter.print(f, v -> "v" + v + "@" + Location.toString(a.location(v))));
                out.println("; frame: " + a.slotCount() + " slots");
                out.println();
            } else {
                out.println(IrPrinter.print(f));
            }
        }
        if (json) out.println(mapper.writeValueAsString(all));
        return 0;
    }

    /** The machine code of each selected function, as the encoder listed it while encoding. */
    private static int listing(ValidatedModule vm, List<Integer> selected, Backend backend,
                               CodeOptions options, PrintStream out) {
        SymbolNames names = SymbolNames.of(vm.module());
        for (int idx : selected) {
            MachineCode mc = backend.compile(vm, names, idx, options, true);
            out.println("function " + idx + " \"" + vm.module().functionDisplayName(idx) + "\" (" + backend.cpu() + ", "
                    + mc.code().length + " bytes, frame " + mc.frameSize() + " bytes):");
            for (String line : mc.listing()) out.println("  " + line);
            out.println();
        }
        return 0;
    }

    private static int resolve(Module m, String func) {
        try {
            int i = Integer.parseInt(func);
            return i >= 0 && i < m.functionCount() ? i : -1;
        } catch (NumberFormatException notAnIndex) {
            for (int i = 0; i < m.functionCount(); i++) {
                if (func.equals(m.names().functionName(i))) return i;
            }
            for (Export e : m.exports()) {
                if (e.kind() == ExternKind.FUNC && e.name().equals(func)) return e.index();
            }
            return -1;
        }
    }
}
