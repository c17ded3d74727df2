package dev.kiln.runtime;

import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.Target;
import dev.kiln.linker.BuildIdentity;
import dev.kiln.runtime.internal.NativeCompiler;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Native code precompiled at build time and packed into a jar (what {@code kiln-maven-plugin}
 * does), found on the class path by module hash, target and code options:
 * {@code META-INF/kiln/precompiled/<sha-256 of the module>/<target>-<options>.o}. An object found
 * there is still checked like any other ({@link Engine#precompiled}): module hash, target, options
 * and compiler build; one that does not match is reported and ignored.
 */
public final class PrecompiledResources {
    /** The folder of every precompiled object in a jar. */
    public static final String ROOT = "META-INF/kiln/precompiled/";

    private PrecompiledResources() {
    }

    /** Where the object for the module with these bytes, compiled for {@code target} with the engine's options, is looked for. */
    public static String resourceName(WasmModule module, CodeTarget target, Engine engine) {
        return resourceName(module, target.target(), engine.codeOptions());
    }

    static String resourceName(WasmModule module, Target target, CodeOptions options) {
        String hash = BuildIdentity.ofModule(module.validated().module().bytes(), "", target, "").moduleHashHex();
        return ROOT + hash + "/" + target.id + "-" + options.key().replaceAll("[^A-Za-z0-9]+", "_") + ".o";
    }

    /** Binds the class path's object for {@code module}, when there is a matching one; true when it did. */
    static boolean provide(WasmModule module, Backend backend, CodeOptions options, ClassLoader loader, Consumer<String> warnings) {
        String name = resourceName(module, backend.target(), options);
        byte[] object;
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) return false;
            object = in.readAllBytes();
        } catch (IOException e) {
            warnings.accept("kiln: cannot read precompiled code " + name + ": " + e.getMessage());
            return false;
        }
        try {
            NativeCompiler.useObject(module, object, backend, options);
            return true;
        } catch (IncompatibleCodeException e) {
            warnings.accept("kiln: precompiled code " + name + " not used: " + e.getMessage());
            return false;
        }
    }
}
