package dev.kiln.tests.fuzz.gen;

import dev.kiln.tests.fuzz.wasm.FuzzModule;
import dev.kiln.tests.fuzz.wasm.NumType;

import java.util.List;

/** One call of an exported function with raw argument bits (i32/f32 in the low 32 bits). */
public record Invocation(int function, List<Long> args) {
    public Invocation {
        args = List.copyOf(args);
    }

    public String export() {
        return FuzzModule.functionExport(function);
    }

    public long[] argArray() {
        return args.stream().mapToLong(Long::longValue).toArray();
    }

    /** {@code f2 i32:0x1 f64:0x7ff8000000000001}: the form reports and regression files use. */
    public String describe(List<NumType> params) {
        return describe(export(), params, argArray());
    }

    public static String describe(String export, List<NumType> params, long[] args) {
        StringBuilder sb = new StringBuilder(export);
        for (int i = 0; i < args.length; i++) {
            sb.append(' ').append(params.get(i).wat).append(":0x").append(Long.toHexString(params.get(i).normalize(args[i])));
        }
        return sb.toString();
    }
}
