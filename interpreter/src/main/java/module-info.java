/** The interpreter (kiln internals). */
module dev.kiln.interpreter {
    requires transitive dev.kiln.regalloc;

    exports dev.kiln.interpreter to dev.kiln.runtime;
    exports dev.kiln.interpreter.gc to dev.kiln.runtime;
}
