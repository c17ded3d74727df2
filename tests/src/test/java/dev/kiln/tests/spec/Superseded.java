package dev.kiln.tests.spec;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.InvalidModuleException;
import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.Validator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Commands of the WebAssembly 2.0 suite whose expectation WebAssembly 3.0 changed. kiln implements
 * 3.0, so these are checked against the 3.0 outcome instead, on every tier, and reported under
 * their own command type ({@code superseded_by_3.0}), never skipped. Each has its 3.0 counterpart
 * in {@code ../shared/wasm-3.0-testsuite}.
 */
final class Superseded {
    enum Expect { ACCEPTED, INVALID }

    record Entry(Expect expect, String why) {
    }

    private static final String U64_OFFSET = "memarg offsets are u64 in 3.0 (memory64): a 10-byte LEB is well-formed";
    private static final String OFFSET_RANGE = "a u64 memarg offset is well-formed; above 2^32-1 it is invalid for a 32-bit memory";
    private static final String MEMIDX = "the reserved byte is a memory index in 3.0 (multi-memory)";
    private static final String MULTI = "several memories are valid in 3.0 (multi-memory)";
    private static final String GLOBALS = "constant expressions may read earlier defined immutable globals in 3.0";

    private static final Map<String, Entry> ENTRIES = Map.ofEntries(
            Map.entry("binary-leb128.wast:405", new Entry(Expect.ACCEPTED, U64_OFFSET)),
            Map.entry("binary-leb128.wast:462", new Entry(Expect.ACCEPTED, U64_OFFSET)),
            Map.entry("binary-leb128.wast:731", new Entry(Expect.INVALID, OFFSET_RANGE)),
            Map.entry("binary-leb128.wast:750", new Entry(Expect.INVALID, OFFSET_RANGE)),
            Map.entry("binary-leb128.wast:844", new Entry(Expect.INVALID, OFFSET_RANGE)),
            Map.entry("binary-leb128.wast:863", new Entry(Expect.INVALID, OFFSET_RANGE)),
            Map.entry("binary.wast:483", new Entry(Expect.ACCEPTED, U64_OFFSET)),
            Map.entry("binary.wast:540", new Entry(Expect.ACCEPTED, U64_OFFSET)),
            Map.entry("binary.wast:620", new Entry(Expect.INVALID, OFFSET_RANGE)),
            Map.entry("binary.wast:639", new Entry(Expect.INVALID, OFFSET_RANGE)),
            Map.entry("binary.wast:733", new Entry(Expect.INVALID, OFFSET_RANGE)),
            Map.entry("binary.wast:752", new Entry(Expect.INVALID, OFFSET_RANGE)),
            Map.entry("binary.wast:857", new Entry(Expect.INVALID, MEMIDX)),
            Map.entry("binary.wast:877", new Entry(Expect.ACCEPTED, MEMIDX)),
            Map.entry("binary.wast:897", new Entry(Expect.ACCEPTED, MEMIDX)),
            Map.entry("binary.wast:916", new Entry(Expect.ACCEPTED, MEMIDX)),
            Map.entry("binary.wast:935", new Entry(Expect.ACCEPTED, MEMIDX)),
            Map.entry("binary.wast:955", new Entry(Expect.INVALID, MEMIDX)),
            Map.entry("binary.wast:974", new Entry(Expect.ACCEPTED, MEMIDX)),
            Map.entry("binary.wast:993", new Entry(Expect.ACCEPTED, MEMIDX)),
            Map.entry("binary.wast:1011", new Entry(Expect.ACCEPTED, MEMIDX)),
            Map.entry("binary.wast:1029", new Entry(Expect.ACCEPTED, MEMIDX)),
            Map.entry("data.wast:85", new Entry(Expect.ACCEPTED, GLOBALS)),
            Map.entry("data.wast:89", new Entry(Expect.ACCEPTED, GLOBALS)),
            Map.entry("elem.wast:152", new Entry(Expect.ACCEPTED, GLOBALS)),
            Map.entry("elem.wast:156", new Entry(Expect.ACCEPTED, GLOBALS)),
            Map.entry("global.wast:352", new Entry(Expect.ACCEPTED, GLOBALS)),
            Map.entry("global.wast:356", new Entry(Expect.ACCEPTED, GLOBALS)),
            Map.entry("imports.wast:483", new Entry(Expect.ACCEPTED, MULTI)),
            Map.entry("imports.wast:487", new Entry(Expect.ACCEPTED, MULTI)),
            Map.entry("imports.wast:491", new Entry(Expect.ACCEPTED, MULTI)),
            Map.entry("memory.wast:10", new Entry(Expect.ACCEPTED, MULTI)),
            Map.entry("memory.wast:11", new Entry(Expect.ACCEPTED, MULTI)));

    static final String REPORT_TYPE = "superseded_by_3.0";

    private Superseded() {
    }

    /** The 3.0 expectation for a 2.0 command, or null when 3.0 did not change it. */
    static Entry of(String file, int line) {
        return ENTRIES.get(file + ":" + line);
    }

    /** Checks the module of a superseded command against its 3.0 outcome (decoding and validation). */
    static SpecTier.Outcome check(Entry e, Path module) throws Exception {
        try {
            Validator.validate(Decoder.decode(Files.readAllBytes(module)));
            return e.expect() == Expect.ACCEPTED ? SpecTier.Outcome.PASS
                    : SpecTier.Outcome.fail("3.0 makes this module invalid (" + e.why() + "), but it was accepted");
        } catch (ModuleException x) {
            return e.expect() == Expect.INVALID && x instanceof InvalidModuleException ? SpecTier.Outcome.PASS
                    : SpecTier.Outcome.fail("3.0: " + e.why() + "; got " + x.getMessage());
        }
    }
}
