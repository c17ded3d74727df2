package dev.kiln.frontend.testing;

/**
 * Recursive functions whose base cases return at once, as WebAssembly text: the shapes of code
 * that runs before a function's prologue (docs/design-changes.md, "Code before the prologue"),
 * shared by the backends' code-shape tests and the tiers' tests that run them.
 */
public final class RecursionModules {
    /** {@code solve} (function 0, exported): nqueens' count by bit masks; a solution returns 1, a dead end 0, only the search loop calls. */
    public static final String NQUEENS = """
            (module (func $solve (export "solve") (param $cols i32) (param $left i32) (param $right i32) (param $all i32) (result i32)
              (local $free i32) (local $bit i32) (local $count i32)
              (if (i32.eq (local.get $cols) (local.get $all)) (then (return (i32.const 1))))
              (local.set $free (i32.and (local.get $all)
                (i32.xor (i32.or (i32.or (local.get $cols) (local.get $left)) (local.get $right)) (i32.const -1))))
              (if (i32.eqz (local.get $free)) (then (return (i32.const 0))))
              (loop $l
                (local.set $bit (i32.and (local.get $free) (i32.sub (i32.const 0) (local.get $free))))
                (local.set $count (i32.add (local.get $count) (call $solve
                  (i32.or (local.get $cols) (local.get $bit))
                  (i32.shl (i32.or (local.get $left) (local.get $bit)) (i32.const 1))
                  (i32.shr_u (i32.or (local.get $right) (local.get $bit)) (i32.const 1))
                  (local.get $all))))
                (br_if $l (local.tee $free (i32.and (local.get $free) (i32.sub (local.get $free) (i32.const 1))))))
              (local.get $count)))
            """;

    /** {@code tak} (function 0, exported): Takeuchi's function; the base case returns its third parameter. */
    public static final String TAK = """
            (module (func $tak (export "tak") (param $x i32) (param $y i32) (param $z i32) (result i32)
              (if (result i32) (i32.ge_s (local.get $y) (local.get $x)) (then (local.get $z))
                (else (call $tak
                  (call $tak (i32.sub (local.get $x) (i32.const 1)) (local.get $y) (local.get $z))
                  (call $tak (i32.sub (local.get $y) (i32.const 1)) (local.get $z) (local.get $x))
                  (call $tak (i32.sub (local.get $z) (i32.const 1)) (local.get $x) (local.get $y)))))))
            """;

    private RecursionModules() {
    }
}
