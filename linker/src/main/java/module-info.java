/** Objects, the code cache, executable memory (kiln internals). */
module dev.kiln.linker {
    requires transitive dev.kiln.ir;

    exports dev.kiln.linker to dev.kiln.runtime;
}
