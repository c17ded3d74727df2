package dev.kiln.tests.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.frontend.text.WastCommand;
import dev.kiln.frontend.text.WastModule;
import dev.kiln.frontend.text.WastValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The 2.0 suite's JSON scripts (wast2json's format) as the commands {@link dev.kiln.wast.ScriptRunner}
 * runs: binary modules from their {@code .wasm} files, text modules ({@code assert_malformed} with
 * {@code module_type} text) from their {@code .wat} files, values as {@link WastValue}s.
 */
final class JsonScripts {
    private JsonScripts() {
    }

    static List<WastCommand> commands(SpecScript script, Path dir) throws IOException {
        List<WastCommand> out = new ArrayList<>();
        for (SpecScript.Command c : script.commands()) out.add(command(c, dir));
        return out;
    }

    private static WastCommand command(SpecScript.Command c, Path dir) throws IOException {
        int line = c.line();
        return switch (c.type()) {
            case "module" -> new WastCommand.Module(line, module(c, dir), false);
            case "register" -> new WastCommand.Register(line, c.as(), id(c.name()));
            case "action" -> new WastCommand.Perform(line, action(c));
            case "assert_return" -> new WastCommand.AssertReturn(line, action(c), values(c.expected(), true));
            case "assert_trap" -> new WastCommand.AssertTrap(line, action(c), c.text());
            case "assert_exhaustion" -> new WastCommand.AssertExhaustion(line, action(c), c.text());
            case "assert_malformed", "assert_invalid", "assert_unlinkable", "assert_uninstantiable" ->
                    new WastCommand.AssertModule(line, c.type(), module(c, dir), null, c.text());
            default -> throw new IllegalArgumentException("unknown command " + c.type());
        };
    }

    /** wast2json writes names with their {@code $}; scripts' ids are without it. */
    private static String id(String name) {
        return name == null ? null : name.startsWith("$") ? name.substring(1) : name;
    }

    private static WastModule module(SpecScript.Command c, Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(dir.resolve(c.filename()));
        if ("text".equals(c.moduleType())) return WastModule.quote(id(c.name()), c.line(), bytes, c.filename());
        return WastModule.binary(id(c.name()), c.line(), bytes);
    }

    private static WastCommand.Action action(SpecScript.Command c) {
        SpecScript.Action a = c.action();
        boolean invoke = a.type().equals("invoke");
        return new WastCommand.Action(c.line(), invoke, id(a.module()), a.field(), invoke ? values(a.args(), false) : List.of());
    }

    private static List<WastValue> values(List<SpecScript.Value> vs, boolean expected) {
        List<WastValue> out = new ArrayList<>(vs.size());
        for (SpecScript.Value v : vs) out.add(value(v, expected));
        return out;
    }

    private static WastValue value(SpecScript.Value v, boolean expected) {
        String type = v.type();
        if (type.equals("v128")) {
            String lane = v.laneType();
            List<WastValue> lanes = new ArrayList<>();
            boolean nan = false;
            long lo = 0;
            long hi = 0;
            int bits = switch (lane) {
                case "i8" -> 8;
                case "i16" -> 16;
                case "i32", "f32" -> 32;
                default -> 64;
            };
            int i = 0;
            for (JsonNode n : v.value()) {
                String s = n.asText();
                if (s.startsWith("nan:")) {
                    nan = true;
                    lanes.add(new WastValue.NanPattern(lane, s.equals("nan:canonical")));
                } else {
                    long x = Long.parseUnsignedLong(s);
                    lanes.add(new WastValue.Num(lane.startsWith("f") ? lane : "i" + Math.max(bits, 32), x));
                    long masked = bits == 64 ? x : x & ((1L << bits) - 1);
                    int at = i * bits;
                    if (at < 64) lo |= masked << at;
                    else hi |= masked << (at - 64);
                }
                i++;
            }
            String shape = lane + "x" + (128 / bits);
            return nan ? new WastValue.V128Pattern(shape, lanes) : new WastValue.V128(lo, hi);
        }
        String s = v.value().asText();
        return switch (type) {
            case "i32", "f32", "i64", "f64" -> {
                if (s.startsWith("nan:")) yield new WastValue.NanPattern(type, s.equals("nan:canonical"));
                long x = Long.parseUnsignedLong(s);
                yield new WastValue.Num(type, type.endsWith("32") ? x & 0xFFFF_FFFFL : x);
            }
            case "funcref" -> s.equals("null") ? new WastValue.RefNull("func") : new WastValue.RefKind("func");
            case "externref" -> s.equals("null") ? new WastValue.RefNull("extern")
                    : expected && s.isEmpty() ? new WastValue.RefKind("extern") : new WastValue.RefExtern(Long.parseLong(s));
            default -> throw new IllegalArgumentException("unsupported value type " + type);
        };
    }
}
