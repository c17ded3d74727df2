package dev.kiln.frontend.text;

import dev.kiln.frontend.Opcode;

import java.util.HashMap;
import java.util.Map;

/** Instruction names to {@link Opcode}s, for the instructions whose text is a name and its immediates. */
final class Mnemonics {
    private static final Map<String, Opcode> BY_NAME = new HashMap<>();
    static {
        for (Opcode op : Opcode.values()) {
            switch (op) {
                // written by the parser itself: typed select, the nullable casts, and block structure
                case SELECT_T, REF_TEST_NULL, REF_CAST_NULL, ELSE, END, CATCH, CATCH_ALL, DELEGATE -> { }
                default -> {
                    if (BY_NAME.putIfAbsent(op.mnemonic, op) != null) throw new AssertionError("duplicate " + op.mnemonic);
                }
            }
        }
    }

    private Mnemonics() {
    }

    /** The instruction with this name, or null. */
    static Opcode get(String name) {
        return BY_NAME.get(name);
    }
}
