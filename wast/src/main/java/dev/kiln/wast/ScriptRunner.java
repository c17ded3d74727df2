package dev.kiln.wast;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.InvalidModuleException;
import dev.kiln.frontend.MalformedModuleException;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.RawValues;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.Validator;
import dev.kiln.frontend.WasmFeature;
import dev.kiln.frontend.text.BinaryFeatures;
import dev.kiln.frontend.text.TextFormatException;
import dev.kiln.frontend.text.WastCommand;
import dev.kiln.frontend.text.WastModule;
import dev.kiln.frontend.text.WastValue;
import dev.kiln.frontend.text.WatParser;
import dev.kiln.runtime.Extern;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.GlobalInstance;
import dev.kiln.runtime.ImportType;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.LinkException;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.WasmException;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * Runs a script's commands on a {@link WastTier}, as {@code wasmtime wast} does: modules are
 * parsed, decoded, validated and instantiated against {@code spectest} and the registered
 * instances; actions are invoked and their results compared bit for bit; traps, link errors and
 * rejected modules are checked by kind. A module that uses a feature the tier does not execute is
 * not run, and neither is any command that needs it: such commands count as not run, with the
 * feature as the reason, never as passed.
 */
public final class ScriptRunner {
    private final WastTier tier;
    private final Set<WasmFeature> executes;

    private Store store;
    private Imports imports;
    private ResultValues values;
    private final Map<String, Instance> instances = new HashMap<>();
    private final Map<String, WasmModule> definitions = new HashMap<>();
    /** Why an instance (by name; "" for the current one) or a registered module name is missing: not run. */
    private final Map<String, String> unavailable = new HashMap<>();
    private final Map<String, String> unavailableRegistered = new HashMap<>();
    private Instance current;
    /** The instances registered under each name. */
    private final Map<String, Instance> registered = new HashMap<>();
    /**
     * Instances whose state a module that was not run would have changed (it imports their tables,
     * memories or globals): commands that read them are not run either.
     */
    private final Map<Instance, String> tainted = new IdentityHashMap<>();
    private WasmModule lastDefinition;
    private String lastDefinitionUnavailable;

    public ScriptRunner(WastTier tier) {
        this.tier = tier;
        this.executes = EnumSet.copyOf(tier.executes());
    }

    /** Runs every command of a script; {@code file} names it in the result. */
    public ScriptResult run(List<WastCommand> commands, String file) {
        ScriptResult result = new ScriptResult(file);
        reset();
        try {
            for (WastCommand c : commands) {
                Outcome o;
                try {
                    o = execute(c);
                } catch (ResultValues.UnsupportedValue e) {
                    o = Outcome.fail("the runner cannot pass or compare " + e.getMessage() + " yet");
                } catch (Exception | StackOverflowError e) {
                    o = Outcome.fail("unexpected " + e);
                }
                result.count(reportKind(c), c.line(), o);
            }
        } finally {
            if (store != null) store.close();
            store = null;
        }
        return result;
    }

    /** The command kind as reports count it: text-format assert_malformed apart from binary ones. */
    public static String reportKind(WastCommand c) {
        if (c instanceof WastCommand.AssertModule a && a.kind().equals("assert_malformed") && a.module() != null
                && a.module().form() != WastModule.Form.BINARY) {
            return "assert_malformed_text";
        }
        return c.kind();
    }

    private void reset() {
        store = tier.newStore();
        imports = new Imports();
        if (store != null) {
            SpecTestModule.define(store, imports);
            values = new ResultValues(store);
        }
        instances.clear();
        definitions.clear();
        unavailable.clear();
        unavailableRegistered.clear();
        registered.clear();
        tainted.clear();
        current = null;
        lastDefinition = null;
        lastDefinitionUnavailable = null;
    }

    private boolean executing() {
        return store != null;
    }

    private Outcome execute(WastCommand c) {
        return switch (c) {
            case WastCommand.Module m -> module(m);
            case WastCommand.Instance i -> instance(i);
            case WastCommand.Register r -> register(r);
            case WastCommand.Perform p -> {
                Outcome o = unavailable(p.action());
                if (o != null) yield o;
                try {
                    perform(p.action());
                    yield Outcome.PASS;
                } catch (WasmTrap t) {
                    yield Outcome.fail("unexpected trap: " + t.describe());
                }
            }
            case WastCommand.AssertReturn a -> assertReturn(a);
            case WastCommand.AssertTrap a -> assertTrap(a.action(), a.message(), false);
            case WastCommand.AssertExhaustion a -> assertTrap(a.action(), a.message(), true);
            case WastCommand.AssertException a -> {
                Outcome o = unavailable(a.action());
                if (o != null) yield o;
                try {
                    perform(a.action());
                    yield Outcome.fail("expected an exception, but it returned");
                } catch (WasmException e) {
                    yield Outcome.PASS;
                } catch (WasmTrap t) {
                    yield Outcome.fail("expected an exception, got trap \"" + t.getMessage() + "\"");
                }
            }
            case WastCommand.AssertModule a -> assertModule(a);
        };
    }

    // ---- modules ----

    /** A module's binary and features, or the reason it cannot be used (text rejected: a failure). */
    private record Parsed(byte[] binary, Set<WasmFeature> features, Outcome failure) {
    }

    private static Parsed parse(WastModule m) {
        try {
            WatParser.Module p = m.compile();
            Set<WasmFeature> f = p.features() != null ? p.features() : BinaryFeatures.scan(p.binary());
            return new Parsed(p.binary(), f, null);
        } catch (TextFormatException e) {
            return new Parsed(null, null, Outcome.fail("well-formed module text rejected: " + e.getMessage()));
        }
    }

    /** The first feature the module uses that the tier does not execute, or null. */
    private String missingFeature(Set<WasmFeature> features) {
        for (WasmFeature f : features) if (!executes.contains(f)) return f.text;
        return null;
    }

    private Outcome module(WastCommand.Module c) {
        WastModule m = c.module();
        String id = m.id();
        Parsed p = parse(m);
        String reason = p.failure() != null ? "an earlier module failed" : missingFeature(p.features());
        if (p.failure() != null || reason != null) {
            markUnavailable(id, c.definition(), reason);
            if (reason != null && !c.definition()) taintImports(p.binary(), reason);
            return p.failure() != null ? p.failure() : Outcome.notRun(reason);
        }
        WasmModule wm;
        try {
            wm = executing() ? WasmModule.of(p.binary(), id != null ? id : "module") : null;
            if (!executing()) Validator.validate(Decoder.decode(p.binary()));
        } catch (ModuleException e) {
            markUnavailable(id, c.definition(), "an earlier module failed");
            return Outcome.fail("valid module rejected: " + e.category() + ": " + e.getMessage());
        }
        if (!executing()) {
            markUnavailable(id, c.definition(), "execution");
            return Outcome.PASS;
        }
        if (c.definition()) {
            lastDefinition = wm;
            lastDefinitionUnavailable = null;
            if (id != null) definitions.put(id, wm);
            return Outcome.PASS;
        }
        return instantiate(wm, id);
    }

    private Outcome instantiate(WasmModule wm, String instanceId) {
        String reason = importsUnavailable(wm);
        if (reason != null) {
            markUnavailable(instanceId, false, reason);
            return Outcome.notRun(reason);
        }
        try {
            Instance i = store.instantiate(wm, imports);
            current = i;
            unavailable.remove("");
            if (instanceId != null) {
                instances.put(instanceId, i);
                unavailable.remove(instanceId);
            }
            return Outcome.PASS;
        } catch (LinkException e) {
            markUnavailable(instanceId, false, "an earlier module failed");
            return Outcome.fail("link error: " + e.getMessage());
        } catch (WasmTrap t) {
            markUnavailable(instanceId, false, "an earlier module failed");
            return Outcome.fail("trap while instantiating: " + t.describe());
        } catch (UnsupportedOperationException e) {
            // the native tier declines a function it cannot compile yet (NativeSupport), with the reason
            String declined = "native backend declines (" + e.getMessage().substring(e.getMessage().lastIndexOf(": ") + 2) + ")";
            markUnavailable(instanceId, false, declined);
            return Outcome.notRun(declined);
        }
    }

    /** The reason a module's imports cannot be satisfied because the modules they name were not run, or null. */
    private String importsUnavailable(WasmModule wm) {
        for (ImportType i : wm.imports()) {
            String r = unavailableRegistered.get(i.module());
            if (r != null) return r;
            Instance from = registered.get(i.module());
            if (from != null && tainted.containsKey(from)) return tainted.get(from);
        }
        return null;
    }

    /**
     * A module that is not run but would import tables, memories or globals of registered instances
     * would have changed them (element and data segments, start functions): those instances are no
     * longer what the script expects.
     */
    private void taintImports(byte[] binary, String reason) {
        for (String module : BinaryFeatures.statefulImportModules(binary)) {
            Instance i = registered.get(module);
            if (i != null) tainted.putIfAbsent(i, reason);
        }
    }

    private void markUnavailable(String id, boolean definition, String reason) {
        if (definition) {
            lastDefinition = null;
            lastDefinitionUnavailable = reason;
            if (id != null) {
                definitions.remove(id);
                unavailable.put("definition " + id, reason);
            }
            return;
        }
        current = null;
        unavailable.put("", reason);
        if (id != null) {
            instances.remove(id);
            unavailable.put(id, reason);
        }
    }

    private Outcome instance(WastCommand.Instance c) {
        if (!executing()) return Outcome.notRun("execution");
        WasmModule wm = c.module() != null ? definitions.get(c.module()) : lastDefinition;
        if (wm == null) {
            String reason = c.module() != null ? unavailable.get("definition " + c.module()) : lastDefinitionUnavailable;
            markUnavailable(c.instance(), false, reason != null ? reason : "an earlier module failed");
            return reason != null ? Outcome.notRun(reason) : Outcome.fail("no module definition " + c.module());
        }
        return instantiate(wm, c.instance());
    }

    private Outcome register(WastCommand.Register c) {
        String key = c.instance() != null ? c.instance() : "";
        String reason = unavailable.get(key);
        if (reason != null) {
            unavailableRegistered.put(c.name(), reason);
            return Outcome.notRun(reason);
        }
        if (!executing()) return Outcome.notRun("execution");
        Instance i = c.instance() != null ? instances.get(c.instance()) : current;
        if (i == null) return Outcome.fail("no module instance to register");
        imports.defineInstance(c.name(), i);
        registered.put(c.name(), i);
        unavailableRegistered.remove(c.name());
        return Outcome.PASS;
    }

    // ---- actions ----

    /** Not run when the action's instance was not run; null when it can run. */
    private Outcome unavailable(WastCommand.Action a) {
        String reason = unavailable.get(a.instance() != null ? a.instance() : "");
        if (reason != null) return Outcome.notRun(reason);
        if (!executing()) return Outcome.notRun("execution");
        Instance target = a.instance() != null ? instances.get(a.instance()) : current;
        if (target != null && tainted.containsKey(target)) return Outcome.notRun(tainted.get(target));
        return null;
    }

    /** An action's results: raw slots (a v128 takes two, see {@link dev.kiln.frontend.RawValues}) and their types. */
    private record Results(long[] raw, List<ValueType<?>> types) {
    }

    private Results perform(WastCommand.Action a) {
        Instance target = a.instance() != null ? instances.get(a.instance()) : current;
        if (target == null) throw new IllegalStateException("no module instance for " + a.name());
        Extern e = target.exports().get(a.name());
        if (!a.invoke()) {
            if (!(e instanceof GlobalInstance g)) throw new IllegalStateException("no global export \"" + a.name() + "\"");
            return new Results(g.raw(), List.of(g.type().valueType()));
        }
        if (!(e instanceof FunctionInstance f)) throw new IllegalStateException("no function export \"" + a.name() + "\"");
        LongStream.Builder raw = LongStream.builder();
        for (WastValue v : a.args()) for (long slot : values.toRaw(v)) raw.add(slot);
        return new Results(f.call(raw.build().toArray()), f.type().results());
    }

    private Outcome assertReturn(WastCommand.AssertReturn c) {
        Outcome o = unavailable(c.action());
        if (o != null) return o;
        Results results;
        try {
            results = perform(c.action());
        } catch (WasmTrap t) {
            return Outcome.fail("unexpected trap: " + t.describe());
        }
        if (results.types().size() != c.expected().size()) {
            return Outcome.fail("expected " + c.expected().size() + " results, got " + results.types().size());
        }
        for (int i = 0, at = 0; i < results.types().size(); at += results.types().get(i++).rawSlots()) {
            String m = values.mismatch(c.expected().get(i), results.raw(), at, results.types().get(i));
            if (m != null) return Outcome.fail("result " + i + ": " + m);
        }
        return Outcome.PASS;
    }

    private Outcome assertTrap(WastCommand.Action a, String message, boolean exhaustion) {
        Outcome o = unavailable(a);
        if (o != null) return o;
        try {
            perform(a);
            return Outcome.fail("expected trap \"" + message + "\", but it returned");
        } catch (WasmTrap t) {
            if (exhaustion) {
                return t.kind() == TrapKind.CALL_STACK_EXHAUSTED ? Outcome.PASS
                        : Outcome.fail("expected call stack exhaustion, got trap \"" + t.getMessage() + "\"");
            }
            return message.startsWith(t.getMessage()) ? Outcome.PASS
                    : Outcome.fail("expected trap \"" + message + "\", got \"" + t.getMessage() + "\"");
        }
    }

    // ---- assertions about modules ----

    private Outcome assertModule(WastCommand.AssertModule c) {
        return switch (c.kind()) {
            case "assert_malformed" -> c.module().form() == WastModule.Form.BINARY ? malformedBinary(c) : malformedText(c);
            case "assert_invalid" -> invalid(c);
            case "assert_unlinkable", "assert_uninstantiable" -> instantiationFails(c);
            case "assert_malformed_custom" -> customSectionFails(c, "malformed");
            case "assert_invalid_custom" -> customSectionFails(c, "invalid");
            default -> Outcome.fail("unknown assertion " + c.kind());
        };
    }

    /**
     * {@code assert_malformed_custom} / {@code assert_invalid_custom}: the module is valid, but a
     * custom section kiln reads (branch hints) is malformed or invalid — in the text, the annotation
     * is rejected; in the binary, the section reports a problem of that category.
     */
    private Outcome customSectionFails(WastCommand.AssertModule c, String category) {
        byte[] binary;
        try {
            binary = c.module().compile().binary();
        } catch (TextFormatException e) {
            return category.equals("malformed") ? Outcome.PASS
                    : Outcome.fail("expected an invalid custom section (\"" + c.message() + "\"), but the text was rejected: " + e.getMessage());
        }
        Module m;
        try {
            m = Decoder.decode(binary);
            Validator.validate(m);
        } catch (ModuleException e) {
            return Outcome.fail("expected only a " + category + " custom section (\"" + c.message() + "\"), but the module was rejected: "
                    + e.getMessage());
        }
        List<ModuleException> problems = m.branchHints().problems(m);
        if (problems.stream().anyMatch(e -> e.category().equals(category))) return Outcome.PASS;
        return Outcome.fail("expected a " + category + " custom section (\"" + c.message() + "\"), but "
                + (problems.isEmpty() ? "every custom section was accepted" : "found " + problems.get(0).getMessage()));
    }

    private Outcome malformedText(WastCommand.AssertModule c) {
        try {
            c.module().compile();
            return Outcome.fail("expected malformed text (\"" + c.message() + "\"), but it parsed");
        } catch (TextFormatException e) {
            return Outcome.PASS;
        }
    }

    private Outcome malformedBinary(WastCommand.AssertModule c) {
        byte[] bytes = c.module().compile().binary();
        String missing = missingFeature(BinaryFeatures.scan(bytes));
        if (missing != null) return Outcome.notRun(missing);
        try {
            Validator.validate(Decoder.decode(bytes));
            return Outcome.fail("expected a malformed module (\"" + c.message() + "\"), but it was accepted");
        } catch (MalformedModuleException e) {
            return Outcome.PASS;
        } catch (ModuleException e) {
            return Outcome.fail("expected a malformed module (\"" + c.message() + "\"), got " + e.category() + ": " + e.getMessage());
        }
    }

    private Outcome invalid(WastCommand.AssertModule c) {
        Parsed p = parse(c.module());
        if (p.failure() != null) return p.failure();
        String missing = missingFeature(p.features());
        if (missing != null) return Outcome.notRun(missing);
        try {
            Validator.validate(Decoder.decode(p.binary()));
            return Outcome.fail("expected an invalid module (\"" + c.message() + "\"), but it was accepted");
        } catch (InvalidModuleException e) {
            return Outcome.PASS;
        } catch (ModuleException e) {
            return Outcome.fail("expected an invalid module (\"" + c.message() + "\"), got " + e.category() + ": " + e.getMessage());
        }
    }

    private Outcome instantiationFails(WastCommand.AssertModule c) {
        boolean link = c.kind().equals("assert_unlinkable");
        WasmModule wm;
        if (c.module() == null) {
            wm = c.instanceOf() != null ? definitions.get(c.instanceOf()) : lastDefinition;
            if (wm == null) {
                String reason = c.instanceOf() != null ? unavailable.get("definition " + c.instanceOf()) : lastDefinitionUnavailable;
                return reason != null ? Outcome.notRun(reason) : Outcome.fail("no module definition " + c.instanceOf());
            }
        } else {
            Parsed p = parse(c.module());
            if (p.failure() != null) return p.failure();
            String missing = missingFeature(p.features());
            if (missing != null) {
                taintImports(p.binary(), missing);
                return Outcome.notRun(missing);
            }
            if (!executing()) return Outcome.notRun("execution");
            try {
                wm = WasmModule.of(p.binary());
            } catch (ModuleException e) {
                return Outcome.fail("valid module rejected: " + e.category() + ": " + e.getMessage());
            }
        }
        if (!executing()) return Outcome.notRun("execution");
        String reason = importsUnavailable(wm);
        if (reason != null) return Outcome.notRun(reason);
        try {
            store.instantiate(wm, imports);
            return Outcome.fail("expected " + (link ? "a link error" : "a trap") + " (\"" + c.message() + "\"), but instantiation succeeded");
        } catch (LinkException e) {
            return link ? Outcome.PASS : Outcome.fail("expected a trap (\"" + c.message() + "\"), got a link error: " + e.getMessage());
        } catch (WasmTrap t) {
            if (link) return Outcome.fail("expected a link error (\"" + c.message() + "\"), got trap \"" + t.getMessage() + "\"");
            return c.message().startsWith(t.getMessage()) ? Outcome.PASS
                    : Outcome.fail("expected trap \"" + c.message() + "\", got \"" + t.getMessage() + "\"");
        }
    }
}
