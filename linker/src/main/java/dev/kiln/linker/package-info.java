/**
 * kiln's linker: native code as standard ELF64 relocatable objects, the on-disk code cache, and
 * executable and virtual memory through the FFM API. It knows ELF but no architecture: relocation
 * types are applied by each backend's {@link dev.kiln.ir.code.RelocationModel}.
 *
 * <ul>
 *   <li>{@link dev.kiln.linker.ElfWriter} / {@link dev.kiln.linker.ElfReader}: a module's
 *       {@link dev.kiln.ir.code.MachineCode} to and from an object file with {@code .text},
 *       {@code .rela.text}, {@code .symtab}, {@code .strtab} and {@code .kiln.meta} (identity,
 *       function index, trap table, integrity digest). {@code readelf} and {@code objdump} read it.</li>
 *   <li>{@link dev.kiln.linker.CodeCache}: objects on disk by {@link dev.kiln.linker.CacheKey}, stored
 *       atomically, loaded verified; bad entries are reported, removed and never returned.</li>
 *   <li>{@link dev.kiln.linker.VirtualMemory}: reserve / commit / decommit / release address space
 *       (linear memories).</li>
 *   <li>{@link dev.kiln.linker.ExecutableMemory}: place, relocate and seal code, W^X.</li>
 * </ul>
 *
 * <pre>{@code
 * BuildIdentity id = BuildIdentity.ofModule(wasmBytes, BUILD_ID, Target.X86_64, "O2");
 * byte[] object = ElfWriter.write(id, module.functionCount(), machineCodes);
 * CodeCache cache = new CodeCache(CacheLocation.resolve(flagOrNull, System.getenv(), System.getProperty("user.home")));
 * cache.store(object);
 *
 * switch (cache.load(id, x64Model)) {
 *     case CacheLookup.Hit hit -> {
 *         try (ExecutableMemory code = new ExecutableMemory(x64Model)) {
 *             MachineCode f = hit.object().function(3).orElseThrow();
 *             PlacedFunction placed = code.place(f, SymbolResolver.of(runtimeHelpers));
 *             MethodHandle h = Linker.nativeLinker().downcallHandle(placed.entryPoint(), descriptor);
 *         }
 *     }
 *     case CacheLookup.Miss miss -> compileAndStore();
 *     case CacheLookup.Corrupt bad -> { System.err.println(bad.reason()); compileAndStore(); }
 * }
 * }</pre>
 */
package dev.kiln.linker;
