package dev.kiln.tests.tiers;

import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.code.Target;
import dev.kiln.runtime.Extern;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.GlobalInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.LinkException;
import dev.kiln.runtime.MemoryInstance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.tests.api.ApiTypes;
import dev.kiln.tests.spec.SpecScript;
import dev.kiln.tests.spec.SpecSuite;
import dev.kiln.tests.spec.SpecTestHostAccess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Cross-tier differential test: every non-SIMD spec script is replayed on the interpreter and on
 * the host's native tier (x86-64, or AArch64 in {@link CrossTierAarch64Test}) side by side. After every action both tiers must agree on the results (exact
 * bits; any NaN matches any NaN, as the spec lets NaN payloads differ), on the trap kind, and on
 * the full contents of every exported memory and the value of every exported global.
 */
class CrossTierTest {
    private record Side(Store store, Imports imports, Map<String, Instance> named, Instance[] current) {
        static Side of(Tier tier) {
            Store s = new Store().tier(tier);
            Imports imports = new Imports();
            SpecTestHostAccess.define(s, imports);
            return new Side(s, imports, new HashMap<>(), new Instance[1]);
        }
    }

    @TestFactory
    Stream<DynamicTest> interpreterAndNativeAgree() throws Exception {
        Assumptions.assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
        List<Path> scripts = SpecSuite.scripts(name -> !SpecSuite.isSimd(name));
        return scripts.stream().map(json -> DynamicTest.dynamicTest(json.getFileName().toString(), () -> replay(json)));
    }

    private static void replay(Path json) throws Exception {
        SpecScript script = SpecScript.read(json);
        Path dir = json.getParent();
        Side interp = Side.of(Tier.INTERP), nat = Side.of(Tier.NATIVE);
        try {
            int compared = 0;
            for (SpecScript.Command c : script.commands()) {
                switch (c.type()) {
                    case "module" -> {
                        byte[] bytes = Files.readAllBytes(dir.resolve(c.filename()));
                        for (Side s : List.of(interp, nat)) {
                            Instance i = s.store().instantiate(WasmModule.of(bytes, c.filename()), s.imports());
                            s.current()[0] = i;
                            if (c.name() != null) s.named().put(c.name(), i);
                        }
                    }
                    case "register" -> {
                        for (Side s : List.of(interp, nat)) {
                            Instance i = c.name() != null ? s.named().get(c.name()) : s.current()[0];
                            s.imports().defineInstance(c.as(), i);
                        }
                    }
                    case "action", "assert_return", "assert_trap", "assert_exhaustion" -> {
                        String a = outcome(interp, c.action()), b = outcome(nat, c.action());
                        if (!a.equals(b)) fail(script.sourceFilename() + ":" + c.line() + " results differ: interp " + a + ", " + Target.host() + " " + b);
                        compareState(script.sourceFilename() + ":" + c.line(), interp, nat, c.action());
                        compared++;
                    }
                    case "assert_uninstantiable", "assert_unlinkable" -> {
                        byte[] bytes = Files.readAllBytes(dir.resolve(c.filename()));
                        String a = instantiate(interp, bytes), b = instantiate(nat, bytes);
                        assertEquals(a, b, script.sourceFilename() + ":" + c.line());
                    }
                    default -> { }
                }
            }
        } finally {
            interp.store().close();
            nat.store().close();
        }
    }

    private static String instantiate(Side s, byte[] bytes) {
        try {
            s.store().instantiate(WasmModule.of(bytes), s.imports());
            return "ok";
        } catch (WasmTrap t) {
            return "trap " + t.kind();
        } catch (LinkException e) {
            return "link error";
        } catch (ModuleException e) {
            return "rejected";
        }
    }

    private static Instance target(Side s, SpecScript.Action a) {
        return a.module() != null ? s.named().get(a.module()) : s.current()[0];
    }

    /** "results [bits...]" or "trap KIND", with every NaN written as NaN. */
    private static String outcome(Side s, SpecScript.Action a) {
        Extern e = target(s, a).exports().get(a.field());
        try {
            if (a.type().equals("get")) return "global " + ((GlobalInstance) e).get();
            FunctionInstance f = (FunctionInstance) e;
            long[] args = new long[a.args().size()];
            for (int i = 0; i < args.length; i++) args[i] = raw(a.args().get(i), s);
            long[] r = f.call(args);
            StringBuilder sb = new StringBuilder("results");
            for (int i = 0; i < r.length; i++) sb.append(' ').append(show(r[i], ApiTypes.valType(f.type().results().get(i))));
            return sb.toString();
        } catch (WasmTrap t) {
            return "trap " + t.kind();
        }
    }

    private static long raw(SpecScript.Value v, Side s) {
        String x = v.value().asText();
        return switch (v.type()) {
            case "i32", "f32" -> (int) Long.parseUnsignedLong(x);
            case "i64", "f64" -> Long.parseUnsignedLong(x);
            case "externref" -> x.equals("null") ? 0 : s.store().externRef(Long.valueOf(x));
            default -> 0;
        };
    }

    private static String show(long bits, ValType t) {
        return switch (t.machine()) {
            case F32 -> Float.isNaN(Float.intBitsToFloat((int) bits)) ? "NaN" : Integer.toHexString((int) bits);
            case F64 -> Double.isNaN(Double.longBitsToDouble(bits)) ? "NaN" : Long.toHexString(bits);
            case I32 -> Integer.toHexString((int) bits);
            case REF -> bits == 0 ? "null" : "func";
            default -> Long.toHexString(bits);
        };
    }

    /** Every exported memory byte for byte, every exported global by value. */
    private static void compareState(String where, Side a, Side b, SpecScript.Action action) {
        Instance x = target(a, action), y = target(b, action);
        List<String> names = new ArrayList<>(x.exports().keySet());
        for (String name : names) {
            Extern ex = x.exports().get(name), ey = y.exports().get(name);
            if (ex instanceof MemoryInstance mx && ey instanceof MemoryInstance my) {
                assertEquals(mx.byteSize(), my.byteSize(), where + ": size of memory " + name);
                byte[] bx = mx.readBytes(0, (int) mx.byteSize()), by = my.readBytes(0, (int) my.byteSize());
                if (!Arrays.equals(bx, by)) fail(where + ": memory " + name + " differs at byte " + Arrays.mismatch(bx, by));
            } else if (ex instanceof GlobalInstance gx && ey instanceof GlobalInstance gy) {
                String vx = show(gx.get(), ApiTypes.valType(gx.type().valueType())), vy = show(gy.get(), ApiTypes.valType(gy.type().valueType()));
                assertEquals(vx, vy, where + ": global " + name);
            }
        }
    }
}
