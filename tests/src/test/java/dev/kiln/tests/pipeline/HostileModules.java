package dev.kiln.tests.pipeline;

import dev.kiln.tests.fuzz.wasm.WasmBytes;

import java.util.function.IntFunction;

/**
 * Valid modules whose size grows in one dimension that a compiler might handle superlinearly, each
 * a function of a size parameter {@code n}: huge {@code br_table}s, deep nesting, many locals, long
 * straight-line bodies, many functions, calls, branches, globals and segments. Every module exports
 * {@code run: (i32) -> i32}.
 */
public enum HostileModules {
    /** One br_table with n targets. */
    BR_TABLE(n -> single(new WasmBytes().u32(0)
            .byte_(0x02).byte_(0x40).byte_(0x02).byte_(0x40)              // block block
            .byte_(0x20).u32(0)                                           // local.get 0
            .byte_(0x0E).u32(n).raw(alternating(n)).u32(0)                // br_table
            .byte_(0x0B).byte_(0x41).sleb(1).byte_(0x0F)                  // end; i32.const 1; return
            .byte_(0x0B).byte_(0x41).sleb(2).byte_(0x0B))),
    /** n nested blocks. */
    NESTING(n -> {
        WasmBytes b = new WasmBytes().u32(0);
        for (int i = 0; i < n; i++) b.byte_(0x02).byte_(0x40);
        for (int i = 0; i < n; i++) b.byte_(0x0B);
        return single(b.byte_(0x20).u32(0).byte_(0x0B));
    }),
    /** n i64 locals, each set and read. */
    LOCALS(n -> {
        WasmBytes b = new WasmBytes().u32(1).u32(n).byte_(0x7E);
        for (int i = 1; i <= n; i++) b.byte_(0x20).u32(0).byte_(0xAD).byte_(0x21).u32(i); // local.set i (i64.extend_i32_u p)
        b.byte_(0x42).sleb(0);
        for (int i = 1; i <= n; i++) b.byte_(0x20).u32(i).byte_(0x7C);                     // i64.add
        return single(b.byte_(0xA7).byte_(0x0B));                                          // i32.wrap_i64
    }),
    /** A straight-line body of n additions. */
    STRAIGHT_LINE(n -> {
        WasmBytes b = new WasmBytes().u32(0).byte_(0x20).u32(0);
        for (int i = 0; i < n; i++) b.byte_(0x20).u32(0).byte_(0x6A);
        return single(b.byte_(0x0B));
    }),
    /** A body of n calls, each result kept for the end. */
    CALLS(n -> {
        WasmBytes b = new WasmBytes().u32(0);
        for (int i = 0; i < n; i++) b.byte_(0x20).u32(0).byte_(0x10).u32(1);              // call $id
        for (int i = 1; i < n; i++) b.byte_(0x6A);
        b.byte_(0x0B);
        return module(new WasmBytes[] {b, new WasmBytes().u32(0).byte_(0x20).u32(0).byte_(0x0B)}, null, null);
    }),
    /** n if/else diamonds in sequence. */
    BRANCHES(n -> {
        WasmBytes b = new WasmBytes().u32(0).byte_(0x20).u32(0);
        for (int i = 0; i < n; i++) {
            b.byte_(0x20).u32(0).byte_(0x04).byte_(0x7F).byte_(0x41).sleb(i).byte_(0x05).byte_(0x41).sleb(-i).byte_(0x0B).byte_(0x6A);
        }
        return single(b.byte_(0x0B));
    }),
    /** n functions, each calling the next. */
    FUNCTIONS(n -> {
        WasmBytes[] bodies = new WasmBytes[n];
        for (int i = 0; i < n; i++) {
            bodies[i] = new WasmBytes().u32(0).byte_(0x20).u32(0);
            if (i + 1 < n) bodies[i].byte_(0x10).u32(i + 1);
            bodies[i].byte_(0x0B);
        }
        return module(bodies, null, null);
    }),
    /** n mutable globals, each read once. */
    GLOBALS(n -> {
        WasmBytes globals = new WasmBytes().u32(n);
        for (int i = 0; i < n; i++) globals.byte_(0x7F).byte_(0x01).byte_(0x41).sleb(i).byte_(0x0B);
        WasmBytes b = new WasmBytes().u32(0).byte_(0x20).u32(0);
        for (int i = 0; i < n; i++) b.byte_(0x23).u32(i).byte_(0x6A);
        return module(new WasmBytes[] {b.byte_(0x0B)}, new WasmBytes().section(6, globals), null);
    }),
    /** n active data segments of 16 bytes. */
    DATA_SEGMENTS(n -> {
        WasmBytes data = new WasmBytes().u32(n);
        for (int i = 0; i < n; i++) {
            data.u32(0).byte_(0x41).sleb(i * 16L % 60000).byte_(0x0B).u32(16);
            for (int k = 0; k < 16; k++) data.byte_(i + k);
        }
        return module(new WasmBytes[] {new WasmBytes().u32(0).byte_(0x20).u32(0).byte_(0x0B)},
                new WasmBytes().section(5, new WasmBytes().u32(1).byte_(0).u32(1)), new WasmBytes().section(11, data));
    }),
    /** n active element segments of one function each. */
    ELEMENT_SEGMENTS(n -> {
        WasmBytes elems = new WasmBytes().u32(n);
        for (int i = 0; i < n; i++) elems.u32(0).byte_(0x41).sleb(i).byte_(0x0B).u32(1).u32(0);
        return module(new WasmBytes[] {new WasmBytes().u32(0).byte_(0x20).u32(0).byte_(0x0B)},
                new WasmBytes().section(4, new WasmBytes().u32(1).byte_(0x70).byte_(0).u32(n)), new WasmBytes().section(9, elems));
    });

    private final IntFunction<byte[]> build;

    HostileModules(IntFunction<byte[]> build) {
        this.build = build;
    }

    /** The module of size {@code n}. */
    public byte[] of(int n) {
        return build.apply(n);
    }

    private static byte[] alternating(int n) {
        WasmBytes t = new WasmBytes();
        for (int i = 0; i < n; i++) t.u32(i & 1);
        return t.toByteArray();
    }

    private static byte[] single(WasmBytes body) {
        return module(new WasmBytes[] {body}, null, null);
    }

    /**
     * Functions of type (i32) -> i32 with these bodies (locals and code), the first exported as run;
     * {@code beforeExports} holds sections 4-6 (table, memory, globals), {@code afterExports} 9 or 11.
     */
    private static byte[] module(WasmBytes[] bodies, WasmBytes beforeExports, WasmBytes afterExports) {
        WasmBytes m = new WasmBytes().raw(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        m.section(1, new WasmBytes().u32(1).byte_(0x60).u32(1).byte_(0x7F).u32(1).byte_(0x7F));
        WasmBytes funcs = new WasmBytes().u32(bodies.length);
        for (int i = 0; i < bodies.length; i++) funcs.u32(0);
        m.section(3, funcs);
        if (beforeExports != null) m.raw(beforeExports.toByteArray());
        m.section(7, new WasmBytes().u32(1).name("run").byte_(0).u32(0));
        byte[] after = afterExports == null ? null : afterExports.toByteArray();
        if (after != null && after[0] == 9) m.raw(after);
        WasmBytes code = new WasmBytes().u32(bodies.length);
        for (WasmBytes b : bodies) code.sized(b);
        m.section(10, code);
        if (after != null && after[0] == 11) m.raw(after);
        return m.toByteArray();
    }
}
