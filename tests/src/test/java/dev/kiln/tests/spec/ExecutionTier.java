package dev.kiln.tests.spec;

import dev.kiln.frontend.ModuleException;
import dev.kiln.runtime.Extern;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.GlobalInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.LinkException;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.ir.TrapKind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every command kind of a spec script by executing it: modules are instantiated against the
 * {@code spectest} host and registered instances, actions are invoked, results compared bit for
 * bit, traps and link failures checked by kind. Subclasses choose how functions execute (the
 * interpreter, native code, tier-up). A tier that does not execute SIMD yet skips the SIMD scripts
 * (every command counts as skipped).
 */
public abstract class ExecutionTier implements SpecTier {
    private Store store;
    private Imports imports;
    private SpecValues values;
    private final Map<String, Instance> named = new HashMap<>();
    private Instance current;
    private boolean simd;

    /** Prepares a fresh store (tiers configure it here). */
    protected abstract Store newStore();

    @Override
    public void reset() {
        if (store != null) store.close();
        store = newStore();
        imports = new Imports();
        SpecTestHost.define(store, imports);
        values = new SpecValues(store);
        named.clear();
        current = null;
        simd = false;
    }

    /** True when the tier executes SIMD (until both backends lower it, the native tiers skip SIMD scripts). */
    protected boolean executesSimd() {
        return true;
    }

    @Override
    public Outcome run(SpecScript.Command c, Path dir) throws Exception {
        if (c.filename() != null && c.filename().startsWith("simd_")) simd = true;
        if (simd && !executesSimd()) return null;
        return switch (c.type()) {
            case "module" -> {
                Instance i = store.instantiate(WasmModule.of(Files.readAllBytes(dir.resolve(c.filename())), c.filename()), imports);
                current = i;
                if (c.name() != null) named.put(c.name(), i);
                yield Outcome.PASS;
            }
            case "register" -> {
                Instance i = c.name() != null ? named.get(c.name()) : current;
                imports.defineInstance(c.as(), i);
                yield Outcome.PASS;
            }
            case "action" -> {
                perform(c.action());
                yield Outcome.PASS;
            }
            case "assert_return" -> assertReturn(c);
            case "assert_trap", "assert_exhaustion" -> assertTrap(c);
            case "assert_malformed", "assert_invalid" -> rejected(c, dir);
            case "assert_unlinkable" -> {
                try {
                    store.instantiate(WasmModule.of(Files.readAllBytes(dir.resolve(c.filename()))), imports);
                    yield Outcome.fail("expected a link error (\"" + c.text() + "\"), but instantiation succeeded");
                } catch (LinkException e) {
                    yield Outcome.PASS;
                }
            }
            case "assert_uninstantiable" -> {
                try {
                    store.instantiate(WasmModule.of(Files.readAllBytes(dir.resolve(c.filename()))), imports);
                    yield Outcome.fail("expected a trap (\"" + c.text() + "\") while instantiating");
                } catch (WasmTrap t) {
                    yield c.text().startsWith(t.kind().message) ? Outcome.PASS
                            : Outcome.fail("expected trap \"" + c.text() + "\", got \"" + t.kind().message + "\"");
                }
            }
            default -> null;
        };
    }

    private Outcome rejected(SpecScript.Command c, Path dir) throws Exception {
        try {
            WasmModule.of(Files.readAllBytes(dir.resolve(c.filename())));
            return Outcome.fail("module accepted, expected \"" + c.text() + "\"");
        } catch (ModuleException e) {
            return Outcome.PASS;
        }
    }

    /** Runs the action; returns its results' raw slots. */
    private long[] perform(SpecScript.Action a) {
        Instance target = a.module() != null ? named.get(a.module()) : current;
        if (target == null) throw new IllegalStateException("no module for action " + a.field());
        Extern e = target.exports().get(a.field());
        if (a.type().equals("get")) {
            if (!(e instanceof GlobalInstance g)) throw new IllegalStateException("no global export " + a.field());
            return g.raw();
        }
        if (!(e instanceof FunctionInstance f)) throw new IllegalStateException("no function export " + a.field());
        java.util.stream.LongStream.Builder raw = java.util.stream.LongStream.builder();
        for (SpecScript.Value v : a.args()) for (long slot : values.toRaw(v)) raw.add(slot);
        return f.call(raw.build().toArray());
    }

    private Outcome assertReturn(SpecScript.Command c) {
        long[] results;
        try {
            results = perform(c.action());
        } catch (WasmTrap t) {
            return Outcome.fail("unexpected trap: " + t.describe());
        }
        int slots = 0;
        for (SpecScript.Value v : c.expected()) slots += v.type().equals("v128") ? 2 : 1;
        if (results.length != slots) {
            return Outcome.fail("expected " + c.expected().size() + " results (" + slots + " slots), got " + results.length + " slots");
        }
        for (int i = 0, at = 0; i < c.expected().size(); i++) {
            String m = values.mismatch(c.expected().get(i), results, at);
            if (m != null) return Outcome.fail("result " + i + ": " + m);
            at += c.expected().get(i).type().equals("v128") ? 2 : 1;
        }
        return Outcome.PASS;
    }

    private Outcome assertTrap(SpecScript.Command c) {
        try {
            perform(c.action());
            return Outcome.fail("expected trap \"" + c.text() + "\", but it returned");
        } catch (WasmTrap t) {
            if (c.type().equals("assert_exhaustion") && t.kind() == TrapKind.CALL_STACK_EXHAUSTED) return Outcome.PASS;
            return c.text().startsWith(t.kind().message) ? Outcome.PASS
                    : Outcome.fail("expected trap \"" + c.text() + "\", got \"" + t.kind().message + "\"");
        }
    }
}
