package dev.kiln.runtime.internal;

import dev.kiln.backend.aarch64.A64Backend;
import dev.kiln.backend.x64.X64Backend;
import dev.kiln.frontend.Decoder;
import dev.kiln.ir.IrBuilder;
import dev.kiln.ir.code.Backend;
import dev.kiln.linker.ElfWriter;
import dev.kiln.regalloc.LinearScan;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Identifies the compiler that produced cached code: a SHA-256 over the class files of kiln's
 * modules wherever they were loaded from — for a jar, over each class's name, CRC32 and size from
 * the jar's index (cheap: nothing is decompressed); for a build directory, over the class files.
 * Any change to the compiler changes the id, so cached code from another build is never used.
 *
 * <p>Hashing a jar's index costs a cold JVM ~25 ms of CPU, so the {@code kiln} launcher records the id
 * of its jar once per build ({@link #record}, written by its AOT-cache training run) and passes it in the
 * system property {@value #PROPERTY}; it is used only while the jar has the size and modification time
 * recorded with it (the test the JVM makes of its AOT cache), else the id is computed.
 */
public final class CompilerBuildId {
    /** The system property the launcher passes the recorded id in: {@code ID:SIZE:MTIME_MILLIS} of the jar. */
    public static final String PROPERTY = "kiln.compilerBuildId";
    private static volatile String id;

    private CompilerBuildId() {
    }

    public static String get() {
        String v = id;
        if (v == null) {
            synchronized (CompilerBuildId.class) {
                if (id == null) id = compute();
                v = id;
            }
        }
        return v;
    }

    private static String compute() {
        Set<Path> sources = new LinkedHashSet<>();
        for (Class<?> c : List.of(Decoder.class, IrBuilder.class,
                LinearScan.class, X64Backend.class,
                A64Backend.class, ElfWriter.class,
                Backend.class)) {
            Path p = location(c);
            if (p == null) return "unknown-" + System.nanoTime(); // no stable id: never reuse cached code
            sources.add(p);
        }
        if (sources.size() == 1) {
            String given = recorded(System.getProperty(PROPERTY), sources.iterator().next());
            if (given != null) return given;
        }
        return of(sources);
    }

    /**
     * What {@link #PROPERTY} should say for this process's compiler: its id and its jar's size and
     * modification time; null when the compiler is not one jar (build directories: nothing to record).
     */
    public static String record() throws IOException {
        Path jar = location(Decoder.class);
        if (jar == null || !Files.isRegularFile(jar)) return null;
        for (Class<?> c : List.of(IrBuilder.class, LinearScan.class, X64Backend.class, A64Backend.class, ElfWriter.class, Backend.class)) {
            if (!jar.equals(location(c))) return null;
        }
        BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
        return of(List.of(jar)) + ":" + a.size() + ":" + a.lastModifiedTime().toMillis();
    }

    /** The id in {@code value} (a {@link #record}), when {@code jar} still has the size and modification time recorded; else null. */
    static String recorded(String value, Path jar) {
        if (value == null) return null;
        String[] parts = value.split(":");
        if (parts.length != 3 || !parts[0].startsWith("kiln-")) return null;
        try {
            BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
            return a.isRegularFile() && a.size() == Long.parseLong(parts[1]) && a.lastModifiedTime().toMillis() == Long.parseLong(parts[2])
                    ? parts[0] : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * The jar or class directory {@code c} is loaded from now, found through its class loader's
     * resource lookup. Not its {@code CodeSource}: a class that comes from the JVM's AOT cache keeps
     * the code source recorded when the cache was made, so after moving the jar together with its AOT
     * cache that names the old place (another build's jar, or nothing). Null when it cannot be told.
     */
    static Path location(Class<?> c) {
        return c.getClassLoader() == null ? null : location(c.getClassLoader(), c.getName());
    }

    /** The jar or class directory {@code loader} finds class {@code className} in, or null. */
    static Path location(ClassLoader loader, String className) {
        String file = className.replace('.', '/') + ".class";
        URL url = loader.getResource(file);
        if (url == null) return null;
        try {
            return switch (url.getProtocol()) {
                case "jar" -> {
                    String s = url.toString(); // jar:file:/…/kiln.jar!/dev/kiln/…class
                    int bang = s.indexOf("!/");
                    yield bang < 0 ? null : Path.of(new URI(s.substring("jar:".length(), bang)));
                }
                case "file" -> {
                    Path classFile = Path.of(url.toURI());
                    Path root = classFile;
                    for (int i = file.split("/").length; i > 0 && root != null; i--) root = root.getParent();
                    yield root;
                }
                default -> null;
            };
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The packages whose classes make the code: a class elsewhere (CLI, runtime, tools) does not change the id. */
    private static final List<String> COMPILER_PACKAGES = List.of(
            "dev/kiln/frontend/", "dev/kiln/ir/", "dev/kiln/regalloc/", "dev/kiln/backend/", "dev/kiln/linker/");

    /**
     * The id of the compiler classes in {@code sources} (jars or class directories): a SHA-256 over
     * each class's name, CRC32 and size, in name order, whichever way the classes are packed (one
     * jar with everything, a jar per module, build directories), so the CLI's jar and the Maven
     * artifacts of the same build have the same id.
     */
    static String of(Collection<Path> sources) {
        try {
            TreeMap<String, long[]> classes = new TreeMap<>();
            for (Path p : sources) {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.walk(p)) {
                        for (Path f : s.filter(x -> x.toString().endsWith(".class")).toList()) {
                            String name = p.relativize(f).toString().replace(File.separatorChar, '/');
                            if (!isCompiler(name)) continue;
                            byte[] bytes = Files.readAllBytes(f);
                            CRC32 crc = new CRC32();
                            crc.update(bytes);
                            classes.put(name, new long[] {crc.getValue(), bytes.length});
                        }
                    }
                } else {
                    // a jar: its index already has each entry's CRC32, so no class needs decompressing
                    try (ZipFile zip = new ZipFile(p.toFile())) {
                        for (var e = zip.entries(); e.hasMoreElements(); ) {
                            ZipEntry z = e.nextElement();
                            if (isCompiler(z.getName())) classes.put(z.getName(), new long[] {z.getCrc(), z.getSize()});
                        }
                    }
                }
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer crcAndSize = ByteBuffer.allocate(16);
            for (Map.Entry<String, long[]> c : classes.entrySet()) {
                sha.update(c.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update(crcAndSize.clear().putLong(c.getValue()[0]).putLong(c.getValue()[1]).array());
            }
            return "kiln-" + HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            return "unknown-" + System.nanoTime();
        }
    }

    private static boolean isCompiler(String entry) {
        if (!entry.endsWith(".class")) return false;
        for (String pkg : COMPILER_PACKAGES) if (entry.startsWith(pkg)) return true;
        return false;
    }
}
