package dev.kiln.tests.pipeline;

import dev.kiln.backend.NativeBackend;
import dev.kiln.backend.aarch64.A64Backend;
import dev.kiln.backend.aarch64.A64RegisterFile;
import dev.kiln.backend.x64.X64Backend;
import dev.kiln.backend.x64.X64RegisterFile;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.pass.Preparation;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Instruction;
import dev.kiln.regalloc.Allocation;
import dev.kiln.regalloc.AllocationChecker;
import dev.kiln.regalloc.LinearOrder;
import dev.kiln.regalloc.Location;
import dev.kiln.regalloc.RegisterFile;
import dev.kiln.tests.wasi.CPrograms;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AllocationChecker} over every function of real C programs as each backend (x86-64 and
 * AArch64) allocates them: the WASI C programs ({@link CPrograms}: wasi-libc's stdio, printf and allocator, compiled by
 * clang at test time), each function prepared as the backend prepares it ({@link Preparation#forBackend},
 * plain and metered) and allocated after loop and call splitting and rematerialisation. wasi-libc's
 * formatter splits one value at two loops whose exits meet, the shape the spec corpus never makes.
 * SQLite (1 246 functions, built by {@code bench/realworld/build-sqlite.sh}, which needs the network)
 * is checked the same way when that build is present.
 */
@Tag("wasi")
class RealProgramAllocationTest {
    private static final Path SQLITE = Path.of("..", "bench", "results", "wasm", "sqlite.wasm");
    private static final List<Target> TARGETS = List.of(new Target("x86-64", X64Backend.INSTANCE, X64RegisterFile.INSTANCE),
            new Target("aarch64", A64Backend.INSTANCE, A64RegisterFile.INSTANCE));

    /** A backend and the register file its allocations are checked against. */
    private record Target(String name, NativeBackend backend, RegisterFile registers) {
    }

    @Test
    void everyFunctionOfTheWasiCProgramsAllocatesCorrectly() throws Exception {
        Path folder = CPrograms.build();
        List<String> errors = new ArrayList<>();
        int checked = 0;
        for (String name : CPrograms.names()) checked += check(name, Files.readAllBytes(folder.resolve(name + ".wasm")), errors);
        if (Files.isRegularFile(SQLITE)) checked += check("sqlite", Files.readAllBytes(SQLITE), errors);
        assertEquals(List.of(), errors);
        assertTrue(checked > 2000, "checked " + checked + " allocations");
    }

    /**
     * Spilled values are read from a register again after a reload (once per run of reads in a block,
     * once before a loop): on SQLite as x86-64 allocates it, a sizeable share of the reads that would
     * otherwise go to a stack slot.
     */
    @Test
    void sqlitesSpilledValuesAreReadFromRegistersAfterReloads() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(SQLITE), "bench/realworld/build-sqlite.sh has not been run");
        ValidatedModule vm = ValidatedModule.of(Files.readAllBytes(SQLITE));
        long slot = 0, reloaded = 0;
        for (int f = vm.module().importedFunctionCount(); f < vm.module().functionCount(); f++) {
            Allocation a = X64Backend.INSTANCE.allocate(Preparation.forBackend(vm, f, CodeOptions.DEFAULT));
            LinearOrder order = a.liveIntervals().order();
            for (BasicBlock b : a.function().blocks) {
                for (int k = 0; k < b.instructions.size(); k++) {
                    Instruction i = b.instructions.get(k);
                    for (int j = 0; j < i.argCount(); j++) {
                        int v = i.arg(j), at = order.instructionUse(b, k), l = a.location(v, at);
                        if (Location.isSlot(l)) slot++;
                        else if (Location.isSlot(a.location(v)) && Location.isRegister(l) && at > a.headEnd(v)) reloaded++;
                    }
                }
            }
        }
        System.out.println("sqlite on x86-64: " + slot + " operands read from slots, " + reloaded + " from registers after a reload");
        assertTrue(reloaded * 2 > slot, slot + " operands read from slots, " + reloaded + " from registers after a reload");
    }

    /** Checks every defined function of the module plain and metered on each target; returns how many allocations were checked. */
    private static int check(String program, byte[] wasm, List<String> errors) throws Exception {
        ValidatedModule vm = ValidatedModule.of(wasm);
        int checked = 0;
        for (Target t : TARGETS) {
            for (CodeOptions options : List.of(CodeOptions.DEFAULT, CodeOptions.FUEL)) {
                for (int f = vm.module().importedFunctionCount(); f < vm.module().functionCount(); f++) {
                    try {
                        AllocationChecker.check(t.backend().allocate(Preparation.forBackend(vm, f, options)), t.registers());
                    } catch (IllegalStateException e) {
                        errors.add(program + " on " + t.name() + (options.fuel() ? ", metered: " : ": ") + e.getMessage());
                    }
                    checked++;
                }
            }
        }
        return checked;
    }
}
