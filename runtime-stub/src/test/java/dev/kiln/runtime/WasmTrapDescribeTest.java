package dev.kiln.runtime;

import dev.kiln.ir.WasmFrame;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.ir.TrapKind.UNREACHABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WasmTrap#describe} folds recursion: a frame or a cycle of frames repeated in a row. */
class WasmTrapDescribeTest {
    @Test
    void framesThatDoNotRepeatAreAllShown() {
        List<WasmFrame> frames = List.of(
                new WasmFrame(0, "f", 1), new WasmFrame(1, "g", 2),
                new WasmFrame(2, "h", 3), new WasmFrame(0, "f", 1));
        String text = new WasmTrap(UNREACHABLE, frames, null).describe();
        assertEquals(5, text.lines().count(), text);
        assertFalse(text.contains("repeated"), text);
    }

    @Test
    void aThreeFrameCycleIsFoldedAndTheRestKeptInOrder() {
        WasmFrame x = new WasmFrame(0, "x", 1), y = new WasmFrame(1, "y", 2),
                z = new WasmFrame(2, "z", 3), start = new WasmFrame(3, "start", 4);
        List<WasmFrame> frames = List.of(x, y, z, x, y, z, x, y, z, x, y, z, start);
        String text = new WasmTrap(UNREACHABLE, frames, null).describe();
        assertEquals(List.of("wasm trap: unreachable", "  at " + x, "  at " + y, "  at " + z,
                "  ... the 3 frames above repeated 3 more times", "  at " + start), text.lines().toList());
    }
}
