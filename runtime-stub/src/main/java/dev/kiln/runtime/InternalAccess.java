package dev.kiln.runtime;

import dev.kiln.frontend.CodelessImage;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.linker.BuildIdentity;
import dev.kiln.linker.DamagedObjectException;
import dev.kiln.linker.MappedObject;
import dev.kiln.runtime.internal.RuntimeAccess;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** This package's members that {@code dev.kiln.runtime.internal} uses, through {@link RuntimeAccess}. */
final class InternalAccess extends RuntimeAccess {
    static {
        RuntimeAccess.register(new InternalAccess());
    }

    private InternalAccess() {
    }

    @Override
    public ValidatedModule validated(WasmModule module) {
        return module.validated();
    }

    @Override
    public WasmModule ofTrusted(byte[] bytes, String name) {
        return WasmModule.ofTrusted(bytes, name);
    }

    @Override
    public WasmModule ofTrusted(CodelessImage image, Supplier<byte[]> whole, String name) {
        return WasmModule.ofTrusted(image, whole, name);
    }

    @Override
    public void useNativeCode(WasmModule module, List<MachineCode> code, CpuFeatures level, Backend codeBackend, CodeOptions options) {
        module.useNativeCode(code, level, codeBackend, options);
    }

    @Override
    public void useCompiledCode(WasmModule module, List<MachineCode> code, Backend backend, CodeOptions options, long nanos) {
        module.useCompiledCode(code, backend, options, nanos);
    }

    @Override
    public void useMappedCode(WasmModule module, MappedObject object, CpuFeatures level, Backend codeBackend, CodeOptions options,
                              boolean lazyCheck, Consumer<DamagedObjectException> onDamage) {
        module.useMappedCode(object, level, codeBackend, options, lazyCheck, onDamage);
    }

    @Override
    public CpuFeatures newCodeLevel(WasmModule module, CpuFeatures level, CodeOptions options) {
        NativeModule nm = module.existingNativeCode(level, options);
        return nm == null || !nm.hasNewCode() ? null : nm.backend().cpu();
    }

    @Override
    public byte[] cacheObject(WasmModule module, CpuFeatures level, CodeOptions options, BuildIdentity identity) {
        return module.existingNativeCode(level, options).object(identity);
    }

    @Override
    public long codeBytesInUse() {
        NativeCodeMemory memory = NativeCodeMemory.existing();
        return memory == null ? 0 : memory.liveCodeBytes();
    }

    @Override
    public boolean checksLazyText(Backend backend) {
        return GuardPages.checksLazyText(backend);
    }

    @Override
    public void awaitRunningCompiles() {
        TierUp.settle();
    }
}
