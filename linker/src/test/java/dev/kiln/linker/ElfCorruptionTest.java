package dev.kiln.linker;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Exhaustive corruption of one object: every bit of every byte, every truncation. */
class ElfCorruptionTest {
    private static void detectedEverywhere(byte[] object) {
        for (int pos = 0; pos < object.length; pos++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] f = object.clone();
                f[pos] ^= (byte) (1 << bit);
                int p = pos, b = bit;
                assertThrows(CorruptObjectException.class, () -> ElfReader.read(f), () -> "bit " + b + " of byte 0x" + Integer.toHexString(p));
            }
        }
        for (int length = 0; length < object.length; length++) {
            byte[] f = Arrays.copyOf(object, length);
            assertThrows(CorruptObjectException.class, () -> ElfReader.read(f), "truncated to " + length);
        }
        assertThrows(CorruptObjectException.class, () -> ElfReader.read(Arrays.copyOf(object, object.length + 1)));
    }

    @Test
    void everyBitFlipAndTruncationOfAnX86ObjectIsDetected() {
        detectedEverywhere(SampleCode.x64Object());
    }

    @Test
    void everyBitFlipAndTruncationOfAnAArch64ObjectIsDetected() {
        detectedEverywhere(ElfWriter.write(SampleCode.identity(Target.AARCH64), 3, SampleCode.a64Functions()));
    }
}
