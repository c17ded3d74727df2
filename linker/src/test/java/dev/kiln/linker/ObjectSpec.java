package dev.kiln.linker;

import dev.kiln.ir.TrapKind;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.Target;
import dev.kiln.ir.code.TrapSite;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A random but valid object: identity, function count and functions with unique indices and
 * symbols, relocations against other functions and external names, trap sites and frame sizes.
 * The generators draw raw material; {@link #functions()} makes it valid deterministically.
 */
record ObjectSpec(Target target, byte[] moduleHash, String buildId, String options, int extraFunctions, long shuffle,
                  List<FunctionSpec> rawFunctions) {

    record RelocationSpec(int offset, int type, int symbolChoice, long addend) {
    }

    record TrapSpec(int codeOffset, TrapKind kind, int wasmOffset) {
    }

    record FunctionSpec(String symbol, byte[] code, List<RelocationSpec> relocations, List<TrapSpec> traps, int frameSize) {
    }

    static final List<String> EXTERNALS = List.of("kiln_memory_grow", "kiln_trap", "kiln_table_get", "host::call ü");

    static Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('!', '~').withChars('ü', 'λ', '‹', '›', ' ', '\u00a0')
                .ofMinLength(1).ofMaxLength(16).map(s -> s.replace("~", "\ud83d\ude00")); // a supplementary character
    }

    static Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('é', '\0', '\n').ofMaxLength(24);
    }

    static Arbitrary<FunctionSpec> function() {
        Arbitrary<RelocationSpec> reloc = Combinators.combine(
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.oneOf(Arbitraries.of(1, 2, 4, 257, 275, 283), Arbitraries.integers()),
                Arbitraries.integers().between(0, 100),
                Arbitraries.longs()).as(RelocationSpec::new);
        Arbitrary<TrapSpec> trap = Combinators.combine(
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.of(TrapKind.class),
                Arbitraries.integers().greaterOrEqual(0)).as(TrapSpec::new);
        return Combinators.combine(
                names(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(80),
                reloc.list().ofMaxSize(6),
                trap.list().ofMaxSize(6),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 256), Arbitraries.integers().greaterOrEqual(0))
        ).as(FunctionSpec::new);
    }

    static Arbitrary<ObjectSpec> objects() {
        return Combinators.combine(
                Arbitraries.of(Target.class),
                Arbitraries.bytes().array(byte[].class).ofSize(32),
                text(),
                text(),
                Arbitraries.integers().between(0, 20),
                Arbitraries.longs(),
                function().list().ofMaxSize(10)
        ).as(ObjectSpec::new);
    }

    BuildIdentity identity() {
        return new BuildIdentity(moduleHash, buildId, target, options);
    }

    int functionCount() {
        return rawFunctions.size() + extraFunctions;
    }

    /** Valid functions in .text order: unique indices (a random subset) and unique symbols. */
    List<MachineCode> functions() {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < functionCount(); i++) indices.add(i);
        Collections.shuffle(indices, new Random(shuffle));
        Set<String> used = new HashSet<>();
        List<String> symbols = new ArrayList<>();
        for (FunctionSpec f : rawFunctions) {
            String s = f.symbol();
            while (!used.add(s)) s = s + "'";
            symbols.add(s);
        }
        List<MachineCode> out = new ArrayList<>();
        for (int i = 0; i < rawFunctions.size(); i++) {
            FunctionSpec f = rawFunctions.get(i);
            int length = f.code().length;
            List<Relocation> relocs = new ArrayList<>();
            if (length > 0) {
                for (RelocationSpec r : f.relocations()) {
                    int choice = r.symbolChoice() % (symbols.size() + EXTERNALS.size());
                    String symbol = choice < symbols.size() ? symbols.get(choice) : EXTERNALS.get(choice - symbols.size());
                    relocs.add(new Relocation(r.offset() % length, r.type(), symbol, r.addend()));
                }
            }
            List<TrapSite> traps = new ArrayList<>();
            for (TrapSpec t : f.traps()) traps.add(new TrapSite(t.codeOffset() % (length + 1), t.kind(), t.wasmOffset()));
            out.add(new MachineCode(target, indices.get(i), symbols.get(i), f.code(), relocs, traps, f.frameSize(), List.of()));
        }
        return out;
    }

    byte[] write() {
        return ElfWriter.write(identity(), functionCount(), functions());
    }

    @Override
    public String toString() {
        return "ObjectSpec[" + target + ", " + functionCount() + " functions, " + rawFunctions.size() + " compiled]";
    }
}
