package dev.kiln.frontend;

/** How many direct calls ({@code call}, {@code return_call}) in a module's code name each function. */
final class DirectCalls {
    private DirectCalls() {
    }

    /** By function index, the number of direct call instructions naming it (imports included). */
    static int[] count(Module module) {
        int[] counts = new int[module.functionCount()];
        int first = module.importedFunctionCount();
        for (int f = first; f < module.functionCount(); f++) {
            FunctionBody body = module.body(f);
            InstructionReader in = new InstructionReader(new WasmReader(module.bytes(), body.codeStart(), body.codeEnd()));
            while (!in.atEnd()) {
                Opcode op = in.next();
                if (op == Opcode.CALL || op == Opcode.RETURN_CALL) {
                    int callee = in.index();
                    if (callee >= 0 && callee < counts.length && counts[callee] < Integer.MAX_VALUE) counts[callee]++;
                }
            }
        }
        return counts;
    }
}
