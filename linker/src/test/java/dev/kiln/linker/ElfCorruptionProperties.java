package dev.kiln.linker;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Corruption is never silently accepted. Because the integrity digest covers every byte of the file
 * and the reader accepts nothing after the section header table, the strong form holds: every
 * flipped bit, truncation, appended, inserted or deleted byte is rejected with a
 * {@link CorruptObjectException}. Separately, mutations that are re-sealed with a fresh digest (so
 * only the structural checks stand between them and the caller) are rejected with that exception
 * or parsed into a consistent object, and never cause any other exception.
 */
class ElfCorruptionProperties {
    enum Kind { FLIP, TRUNCATE, APPEND, INSERT, DELETE, OVERWRITE_WORD }

    record Mutation(Kind kind, double at, int value, int length) {
        byte[] apply(byte[] file) {
            if (file.length < 4) return Arrays.copyOf(file, file.length + length); // keep it non-trivial: grow
            int pos = Math.min(file.length - 1, (int) (at * file.length));
            return switch (kind) {
                case FLIP -> {
                    byte[] f = file.clone();
                    f[pos] ^= (byte) (value == 0 ? 1 : value);
                    yield f;
                }
                case TRUNCATE -> Arrays.copyOf(file, pos);
                case APPEND -> {
                    byte[] f = Arrays.copyOf(file, file.length + length);
                    Arrays.fill(f, file.length, f.length, (byte) value);
                    yield f;
                }
                case INSERT -> {
                    byte[] f = new byte[file.length + length];
                    System.arraycopy(file, 0, f, 0, pos);
                    Arrays.fill(f, pos, pos + length, (byte) value);
                    System.arraycopy(file, pos, f, pos + length, file.length - pos);
                    yield f;
                }
                case DELETE -> {
                    int n = Math.min(length, file.length - pos);
                    byte[] f = new byte[file.length - n];
                    System.arraycopy(file, 0, f, 0, pos);
                    System.arraycopy(file, pos + n, f, pos, file.length - pos - n);
                    yield f;
                }
                case OVERWRITE_WORD -> {
                    byte[] f = file.clone();
                    int p = Math.min(pos & ~3, file.length - 4);
                    int[] hostile = {-1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0, 1, 0x10000, value, -value};
                    ObjectSurgery.le(f).putInt(p, hostile[length % hostile.length]);
                    yield f;
                }
            };
        }

        boolean changes(byte[] file) {
            return !Arrays.equals(file, apply(file));
        }
    }

    @Provide
    Arbitrary<ObjectSpec> objects() {
        return ObjectSpec.objects();
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(1, 64)).as(Mutation::new)
                .list().ofMinSize(1).ofMaxSize(4);
    }

    /** In-place changes spread evenly over the file: the ones that reach the structural checks after re-sealing. */
    @Provide
    Arbitrary<List<Mutation>> inPlaceMutations() {
        return Combinators.combine(Arbitraries.of(Kind.FLIP, Kind.OVERWRITE_WORD),
                        Arbitraries.doubles().between(0, 1).withoutEdgeCases(),
                        Arbitraries.integers().between(0, 255), Arbitraries.integers().between(1, 64)).as(Mutation::new)
                .list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 2000, seed = "20261122")
    void everyChangeIsDetected(@ForAll("objects") ObjectSpec spec, @ForAll("mutations") List<Mutation> mutations) {
        byte[] original = spec.write();
        byte[] file = original;
        for (Mutation m : mutations) file = m.apply(file);
        if (Arrays.equals(file, original)) return; // e.g. a word overwritten with its own value
        byte[] corrupt = file;
        assertThrows(CorruptObjectException.class, () -> ElfReader.read(corrupt));
    }

    @Property(tries = 2000, seed = "20261123")
    void resealedMutationsFailOnlyWithCorruptObjectException(@ForAll("objects") ObjectSpec spec,
                                                             @ForAll("inPlaceMutations") List<Mutation> mutations) {
        byte[] original = spec.write();
        int digest = ObjectSurgery.digestOffset(original);
        byte[] file = original;
        for (Mutation m : mutations) file = m.apply(file);
        ObjectSurgery.reseal(file, digest);
        try {
            KilnObject read = ElfReader.read(file);
            // Accepted: then it is a consistent object that the writer can write again.
            byte[] again = ElfWriter.write(read.identity(), read.metadata().functionCount(), read.functions());
            assertArrayEquals(again, ElfWriter.write(read.identity(), read.metadata().functionCount(), ElfReader.read(again).functions()));
        } catch (CorruptObjectException expected) {
            // rejected cleanly
        } catch (Throwable t) {
            fail("a mutated object caused " + t + " instead of CorruptObjectException", t);
        }
    }

    @Property(tries = 20_000)
    @Tag("slow")
    void manyChangesAreDetected(@ForAll("objects") ObjectSpec spec, @ForAll("mutations") List<Mutation> mutations) {
        everyChangeIsDetected(spec, mutations);
    }

    @Property(tries = 20_000)
    @Tag("slow")
    void manyResealedMutationsFailOnlyWithCorruptObjectException(@ForAll("objects") ObjectSpec spec,
                                                                 @ForAll("inPlaceMutations") List<Mutation> mutations) {
        resealedMutationsFailOnlyWithCorruptObjectException(spec, mutations);
    }
}
