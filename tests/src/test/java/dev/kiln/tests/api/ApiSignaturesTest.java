package dev.kiln.tests.api;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.internal.NativeCompiler;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public surface of module {@code dev.kiln.runtime} names only API types: every public or
 * protected member (method, constructor, field, record component, type parameter, thrown type),
 * superclass and interface of every accessible class in a package the module exports to everyone
 * mentions only types of those packages or of JDK packages exported to everyone — never a compiler
 * type ({@code dev.kiln.ir}, {@code dev.kiln.linker}, ...) or {@code dev.kiln.runtime.internal}.
 */
class ApiSignaturesTest {
    private static final String RUNTIME = "dev.kiln.runtime";

    private static ModuleReference runtimeModule() throws URISyntaxException {
        Path location = Path.of(Engine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(location).find(RUNTIME).orElseThrow(() -> new AssertionError("no module " + RUNTIME + " at " + location));
    }

    private static Set<String> exportedPackages(ModuleDescriptor d) {
        return d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    }

    @Test
    void exportedPackagesMentionOnlyApiTypes() throws Exception {
        ModuleReference ref = runtimeModule();
        Set<String> exported = exportedPackages(ref.descriptor());
        assertEquals(Set.of("dev.kiln.runtime", "dev.kiln.runtime.wasi"), exported);
        List<Class<?>> classes = new ArrayList<>();
        try (ModuleReader reader = ref.open()) {
            for (String resource : reader.list().toList()) {
                if (!resource.endsWith(".class") || resource.equals("module-info.class")) continue;
                String name = resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
                int dot = name.lastIndexOf('.');
                if (exported.contains(name.substring(0, dot))) classes.add(Class.forName(name, false, Engine.class.getClassLoader()));
            }
        }
        List<String> leaks = new ArrayList<>();
        int checked = 0;
        for (Class<?> c : classes) {
            if (!accessible(c)) continue;
            checked++;
            leaks.addAll(new Signatures(exported).leaks(c));
        }
        assertTrue(checked > 50, "checked only " + checked + " API classes");
        assertEquals("", String.join("\n", leaks), "public signatures that name types the module does not export");
    }

    @Test
    void theCheckFindsCompilerTypesInSignatures() {
        List<String> leaks = new Signatures(Set.of("dev.kiln.runtime", "dev.kiln.runtime.wasi", "dev.kiln.runtime.internal"))
                .leaks(NativeCompiler.class);
        assertFalse(leaks.isEmpty());
        assertTrue(leaks.stream().anyMatch(l -> l.contains("dev.kiln.linker.CodeCache")), String.join("\n", leaks));
        assertTrue(leaks.stream().anyMatch(l -> l.contains("dev.kiln.ir.code.MachineCode")), String.join("\n", leaks));
    }

    /** Whether code outside the module can name {@code c}: public (or protected and nested in an extensible class), and so is its enclosing class. */
    private static boolean accessible(Class<?> c) {
        if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) return false;
        int m = c.getModifiers();
        Class<?> outer = c.getDeclaringClass();
        if (outer == null) return Modifier.isPublic(m);
        return (Modifier.isPublic(m) || Modifier.isProtected(m) && !Modifier.isFinal(outer.getModifiers())) && accessible(outer);
    }

    private static boolean visible(Member member) {
        int m = member.getModifiers();
        return !member.isSynthetic() && (Modifier.isPublic(m) || Modifier.isProtected(m) && !Modifier.isFinal(member.getDeclaringClass().getModifiers()));
    }

    /** The types each visible part of a class mentions that are neither in {@code exported} nor exported by the JDK. */
    private record Signatures(Set<String> exported) {
        List<String> leaks(Class<?> c) {
            List<String> out = new ArrayList<>();
            String owner = c.getName();
            check(out, owner + " extends", c.getGenericSuperclass());
            for (Type t : c.getGenericInterfaces()) check(out, owner + " implements", t);
            for (TypeVariable<?> v : c.getTypeParameters()) check(out, owner + " <" + v.getName() + ">", v);
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) check(out, owner + " record component " + rc.getName(), rc.getGenericType());
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f)) check(out, owner + "." + f.getName(), f.getGenericType());
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k)) checkExecutable(out, owner + ".<init>", k);
            }
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m) && !m.isBridge()) {
                    checkExecutable(out, owner + "." + m.getName(), m);
                    check(out, owner + "." + m.getName() + " returns", m.getGenericReturnType());
                }
            }
            return out;
        }

        private void checkExecutable(List<String> out, String where, Executable e) {
            for (Type t : e.getGenericParameterTypes()) check(out, where + " parameter", t);
            for (Type t : e.getGenericExceptionTypes()) check(out, where + " throws", t);
            for (TypeVariable<?> v : e.getTypeParameters()) check(out, where + " <" + v.getName() + ">", v);
        }

        private void check(List<String> out, String where, Type t) {
            Set<Type> seen = new HashSet<>();
            collect(t, seen, bad -> out.add(where + ": " + bad.getName()));
        }

        private void collect(Type t, Set<Type> seen, Consumer<Class<?>> bad) {
            if (t == null || !seen.add(t)) return;
            switch (t) {
                case Class<?> c when c.isArray() -> collect(c.getComponentType(), seen, bad);
                case Class<?> c -> {
                    if (!c.isPrimitive() && !allowed(c)) bad.accept(c);
                }
                case ParameterizedType p -> {
                    collect(p.getRawType(), seen, bad);
                    collect(p.getOwnerType(), seen, bad);
                    for (Type a : p.getActualTypeArguments()) collect(a, seen, bad);
                }
                case WildcardType w -> {
                    for (Type b : w.getUpperBounds()) collect(b, seen, bad);
                    for (Type b : w.getLowerBounds()) collect(b, seen, bad);
                }
                case TypeVariable<?> v -> {
                    for (Type b : v.getBounds()) collect(b, seen, bad);
                }
                case GenericArrayType a -> collect(a.getGenericComponentType(), seen, bad);
                default -> throw new AssertionError("unexpected type " + t);
            }
        }

        /** A type of an exported package of the runtime, or of a JDK module that exports it to everyone. */
        private boolean allowed(Class<?> c) {
            String pkg = c.getPackageName();
            if (pkg.startsWith("dev.kiln.")) return exported.contains(pkg);
            Module m = c.getModule();
            return m.isNamed() && m.isExported(pkg) && m.getLayer() == ModuleLayer.boot() && m.getName().startsWith("java");
        }
    }
}
