package dev.kiln.frontend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The branch hints of a module's {@code metadata.code.branch_hint} custom section (WebAssembly 3.0
 * code metadata): for an {@code if} or {@code br_if} at a byte offset of a function's body
 * (counted from the body's locals, after its size), whether the branch is likely (1) or unlikely
 * (0) taken. The section is {@code vec(funcidx vec(offset size:1 value))}, functions and offsets
 * strictly increasing.
 * <p>
 * A custom section never makes a module invalid: a malformed section hints nothing and is
 * reported by {@link #problems}, which also checks that every hint names a defined function and
 * stands on an {@code if} or {@code br_if} (the spec's "invalid custom section"). Code generation
 * asks {@link #hint} only at its own {@code if}/{@code br_if} offsets, so a hint elsewhere is
 * simply never read and costs no pass over the module.
 */
public final class BranchHints {
    public static final String SECTION_NAME = "metadata.code.branch_hint";
    public static final BranchHints NONE = new BranchHints(Map.of(), null);

    /** One function's hints: offsets from the start of its body, increasing, and their values. */
    private record FunctionHints(int[] offsets, byte[] values) {
    }

    private final Map<Integer, FunctionHints> byFunction;
    /** Why the section is malformed (then it hints nothing), or null. */
    private final ModuleException malformed;

    private BranchHints(Map<Integer, FunctionHints> byFunction, ModuleException malformed) {
        this.byFunction = byFunction;
        this.malformed = malformed;
    }

    /** Reads the section's contents {@code [start, end)} (after its name); never throws. */
    static BranchHints parse(byte[] bytes, int start, int end) {
        WasmReader r = new WasmReader(bytes, start, end);
        try {
            Map<Integer, FunctionHints> byFunction = new HashMap<>();
            int functions = r.count(2);
            long lastFunction = -1;
            for (int i = 0; i < functions; i++) {
                int at = r.position();
                int func = r.u32AsInt("function index");
                if (func <= lastFunction) throw new MalformedModuleException("branch hints: functions out of order or repeated", at);
                lastFunction = func;
                int n = r.count(3);
                int[] offsets = new int[n];
                byte[] values = new byte[n];
                long lastOffset = -1;
                for (int j = 0; j < n; j++) {
                    at = r.position();
                    int offset = r.u32AsInt("branch hint offset");
                    if (offset <= lastOffset) throw new MalformedModuleException("branch hints: offsets out of order or repeated", at);
                    lastOffset = offset;
                    at = r.position();
                    if (r.u32() != 1) throw new MalformedModuleException("branch hints: a hint's size must be 1", at);
                    at = r.position();
                    int value = r.u8();
                    if (value > 1) throw new MalformedModuleException("branch hints: a hint must be 0 (unlikely) or 1 (likely), not " + value, at);
                    offsets[j] = offset;
                    values[j] = (byte) value;
                }
                byFunction.put(func, new FunctionHints(offsets, values));
            }
            if (!r.atEnd()) throw new MalformedModuleException("branch hints: unexpected bytes after the last function", r.position());
            return new BranchHints(Map.copyOf(byFunction), null);
        } catch (ModuleException e) {
            return new BranchHints(Map.of(), e);
        }
    }

    /** True when the module has no (usable) hints. */
    public boolean isEmpty() {
        return byFunction.isEmpty();
    }

    /**
     * The hint for the branch at {@code bodyOffset} of function {@code funcIndex}: 1 likely, 0
     * unlikely, -1 none.
     */
    public int hint(int funcIndex, int bodyOffset) {
        FunctionHints h = byFunction.get(funcIndex);
        if (h == null) return -1;
        int i = Arrays.binarySearch(h.offsets, bodyOffset);
        return i >= 0 ? h.values[i] : -1;
    }

    /** The absolute offset in the module of a function body's start (its locals), from which hint offsets count. */
    public static int bodyOrigin(byte[] bytes, FunctionBody body) {
        WasmReader r = new WasmReader(bytes, body.bodyStart(), body.codeEnd());
        r.u32();
        return r.position();
    }

    /**
     * What is wrong with the section, each with its byte offset (empty when nothing is): a
     * malformed section, a hint for an imported or unknown function, or a hint that does not stand
     * on an {@code if} or {@code br_if}. Walks the hinted functions' code.
     */
    public List<ModuleException> problems(Module module) {
        List<ModuleException> out = new ArrayList<>();
        if (malformed != null) {
            out.add(malformed);
            return out;
        }
        byte[] bytes = module.bytes();
        for (Map.Entry<Integer, FunctionHints> e : byFunction.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            int func = e.getKey();
            if (func >= module.functionCount() || module.isImportedFunction(func)) {
                out.add(new InvalidModuleException("branch hints: function " + func + " has no body in this module", 0));
                continue;
            }
            FunctionBody body = module.body(func);
            int origin = bodyOrigin(bytes, body);
            int[] offsets = e.getValue().offsets;
            int next = 0;
            InstructionReader in = new InstructionReader(new WasmReader(bytes, body.codeStart(), body.codeEnd()));
            try {
                while (!in.atEnd() && next < offsets.length) {
                    Opcode op = in.next();
                    int at = in.offset() - origin;
                    while (next < offsets.length && offsets[next] < at) {
                        out.add(invalidTarget(func, offsets[next++], origin));
                    }
                    if (next < offsets.length && offsets[next] == at) {
                        if (op != Opcode.IF && op != Opcode.BR_IF) {
                            out.add(new InvalidModuleException("branch hints: invalid target: function " + func + " offset " + at
                                    + " is " + op.mnemonic + ", not if or br_if", origin + at));
                        }
                        next++;
                    }
                }
            } catch (ModuleException malformedCode) {
                out.add(malformedCode);
                continue;
            }
            while (next < offsets.length) out.add(invalidTarget(func, offsets[next++], origin));
        }
        return out;
    }

    private static InvalidModuleException invalidTarget(int func, int offset, int origin) {
        return new InvalidModuleException("branch hints: invalid target: function " + func + " offset " + offset
                + " is not the start of an instruction", origin + offset);
    }
}
