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

    /** {@code f2 i32:0x1 f64:0x7ff8000000000001}: the form regression files record. */
    public String describe(List<NumType> params) {
        StringBuilder sb = new StringBuilder(export());
        for (int i = 0; i < args.size(); i++) {
            sb.append(' ').append(params.get(i).wat).append(":0x").append(Long.toHexString(params.get(i).normalize(args.get(i))));
        }
        return sb.toString();
    }
}
