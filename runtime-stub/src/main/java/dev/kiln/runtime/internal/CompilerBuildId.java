package dev.kiln.runtime.internal;

import dev.kiln.ir.code.Backend;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Identifies the compiler that produced cached code: a SHA-256 over the class files of kiln's
 * modules wherever they were loaded from — for a jar, over each class's name, CRC32 and size from
 * the jar's index (cheap: nothing is decompressed); for a build directory, over the class files.
 * Any change to the compiler changes the id, so cached code from another build is never used.
 */
public final class CompilerBuildId {
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
        for (Class<?> c : List.of(dev.kiln.frontend.Decoder.class, dev.kiln.ir.IrBuilder.class,
                dev.kiln.regalloc.LinearScan.class, dev.kiln.backend.x64.X64Backend.class,
                dev.kiln.backend.aarch64.A64Backend.class, dev.kiln.linker.ElfWriter.class,
                Backend.class)) {
            try {
                sources.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (URISyntaxException | NullPointerException | SecurityException e) {
                return "unknown-" + System.nanoTime(); // no stable id: never reuse cached code
            }
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path p : sources) {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.walk(p)) {
                        for (Path f : s.filter(x -> x.toString().endsWith(".class")).sorted().toList()) {
                            sha.update(p.relativize(f).toString().getBytes());
                            try (InputStream in = Files.newInputStream(f)) {
                                sha.update(in.readAllBytes());
                            }
                        }
                    }
                } else {
                    // a jar: its index already has each entry's CRC32, so no class needs decompressing
                    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(p.toFile())) {
                        java.util.TreeMap<String, java.util.zip.ZipEntry> classes = new java.util.TreeMap<>();
                        for (var e = zip.entries(); e.hasMoreElements(); ) {
                            java.util.zip.ZipEntry z = e.nextElement();
                            if (z.getName().startsWith("dev/kiln/") && z.getName().endsWith(".class")) classes.put(z.getName(), z);
                        }
                        java.nio.ByteBuffer crcAndSize = java.nio.ByteBuffer.allocate(16);
                        for (java.util.zip.ZipEntry z : classes.values()) {
                            sha.update(z.getName().getBytes());
                            sha.update(crcAndSize.clear().putLong(z.getCrc()).putLong(z.getSize()).array());
                        }
                    }
                }
            }
            return "kiln-" + HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            return "unknown-" + System.nanoTime();
        }
    }
}
