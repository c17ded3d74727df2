package dev.kiln.tests.wasi;

import dev.kiln.frontend.testing.SharedData;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The WASI preview 1 test suite ({@code ../shared/wasi-testsuite}): its cases, and how one runs —
 * from a fresh copy of its folder in a temporary directory, with leftovers ({@code *.cleanup})
 * removed first and the case's {@code root} preopened as {@code /}, as
 * {@code wasmtime run --env K=V --dir ROOT::/ NAME.wasm ARGS...} would run it.
 */
public final class WasiSuite {
    /** The folders of the suite, one per source language. */
    public static final List<String> FOLDERS = List.of("assemblyscript", "c", "rust");

    private WasiSuite() {
    }

    public static Path root() {
        return SharedData.require("wasi-testsuite");
    }

    /**
     * The time limit per case and tier (decode, compile, run): {@code -Dkiln.wasi.timeout=SECONDS},
     * default 60 s, far above the slowest case (about 1 s) so that only a hang reaches it.
     */
    public static Duration timeLimit() {
        return Duration.ofSeconds(Long.getLong("kiln.wasi.timeout", 60));
    }

    /** Every case of the suite's folders in {@code dir}, in folder then name order. */
    public static List<WasiCase> cases(Path dir) throws IOException {
        List<WasiCase> cases = new ArrayList<>();
        for (String folder : FOLDERS) {
            Path f = dir.resolve(folder);
            if (!Files.isDirectory(f)) throw new IllegalStateException("the WASI suite has no folder " + f);
            try (Stream<Path> s = Files.list(f)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".wasm")).sorted()
                        .forEach(n -> cases.add(WasiCase.of(f, n.substring(0, n.length() - ".wasm".length()))));
            }
        }
        return cases;
    }

    /** Runs one case on one tier and judges it. */
    public static WasiOutcome run(WasiCase c, WasiTier tier, Duration limit) throws IOException {
        if (c.specError() != null) return WasiOutcome.failed(c.id(), tier.name(), c.specError());
        WasiSpec spec = c.spec();
        if (spec.notApplicable() != null) return WasiOutcome.notApplicable(c.id(), tier.name(), spec.notApplicable());
        Path temp = Files.createTempDirectory("kiln-wasi-");
        try {
            Path copy = c.freshCopy(temp);
            Path root = null;
            if (spec.root() != null) {
                root = copy.resolve(spec.root());
                if (!Files.isDirectory(root)) return WasiOutcome.failed(c.id(), tier.name(), "root directory " + spec.root() + " is missing");
            }
            byte[] stdin = spec.stdin() == null ? null : spec.stdin().getBytes(StandardCharsets.UTF_8);
            WasiExecution.Result r = WasiExecution.run(copy.resolve(c.wasm().getFileName().toString()), tier,
                    spec.args(), spec.env(), root, stdin, limit);
            return WasiOutcome.judge(c.id(), tier, spec, r);
        } finally {
            WasiCase.deleteTree(temp);
        }
    }
}
