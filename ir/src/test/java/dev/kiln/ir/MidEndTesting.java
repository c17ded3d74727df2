package dev.kiln.ir;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.pass.Optimizer;
import dev.kiln.ir.pass.Pass;

/** What the tests of the native mid-end's passes share: a function through the pipeline and some passes, verified. */
final class MidEndTesting {
    private MidEndTesting() {
    }

    /** Function 0 of {@code wat}, optimised as every tier does, then through {@code passes}, verified after each step. */
    static IrFunction after(String wat, Pass... passes) {
        ValidatedModule vm = ValidatedModule.of(Wat.compile(wat));
        IrFunction f = IrBuilder.build(vm, 0);
        Optimizer.optimize(f, (pass, fn) -> IrVerifier.verify(vm.module(), fn));
        for (Pass p : passes) {
            p.run(f);
            IrVerifier.verify(vm.module(), f);
        }
        return f;
    }

    /** How many instructions of {@code f} are {@code op}. */
    static long count(IrFunction f, Opcode op) {
        return f.blocks.stream().flatMap(b -> b.instructions.stream()).filter(i -> i.op == op).count();
    }
}
