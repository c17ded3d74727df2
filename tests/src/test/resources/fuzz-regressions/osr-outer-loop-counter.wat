;; The auto tier (promotion at the first call, OSR at the first back edge) never returned: OSR into
;; loop $L5 gave the outer loop header $L4 a second parameter for its counter that shadowed the
;; original and never changed (ir OsrTransform SSA repair). Fixed with runtime-stub OsrNestedLoopsTest.
;; | call 1 of 1: f1 i32:0x0 f32:0x0 f64:0x0
;; |   wasmtime     returns nothing
;; |   interp       returns nothing
;; |   native       returns nothing
;; |   auto(1,1)    FAILED still running after 10 s (interrupted; it ended with: trap "interrupted")
;; |   auto(2,3)    returns nothing
(module
  (type (;0;) (func (param f32) (result f32)))
  (type (;1;) (func (param i32)))
  (type (;2;) (func (param i32 f32 f64)))
  (type (;3;) (func (param f32) (result i32)))
  (type (;4;) (func (param i64 i64 i32) (result f32)))
  (type (;5;) (func (result i32 f32 f64)))
  (type (;6;) (func (result f32 f64)))
  (type (;7;) (func (param f64 f32) (result i32)))
  (global (;0;) f64 (f64.const -0x1.9dp6))
  (func $f0 (type 1) (param i32)
    (local i32 i64 i32 f64 i32 i32 i64 f32 i32 i32 f32 f32 i32 f32 f64)
    (local.set 3 (i32.const 0))  ;; trips of $L0
    (loop $L0
      (block $b2
        (local.set 1 (local.get 0))
        (if $i3 (type 5) (result i32 f32 f64)
          (i32.const -81)
          (then
            (local.set 5 (i32.const 3))  ;; trips of $L4
            (loop $L4
              (br_if $b2 (local.get 1))
              (drop
                (select
                  (local.tee 14
                    (local.set 6 (i32.const 2))  ;; trips of $L5
                    (loop $L5 (result f32)
                      (br_if $L5 (i32.gt_s (local.tee 6 (i32.sub (local.get 6) (i32.const 1))) (i32.const 0)))
                      (f32.const 0x0.0p0)
                    )
                  )
                  (f32.const nan:0x400000)
                  (f32.eq (local.get 14) (local.get 14))
                )  ;; canonical NaN
              )
              (br_if $L4 (i32.gt_s (local.tee 5 (i32.sub (local.get 5) (i32.const 1))) (i32.const 0)))
            )
            (i32.const 0)
            (block $b1000009 (type 6) (result f32 f64)
              (f32.const 0x0.0p0)
              (f64.const 0x0.0p0)
            )
          )
          (else
            (i32.const 0)
            (f32.const 0x0.0p0)
            (local.get 4)
          )
        )
        (drop)
        (drop)
        (drop)
      )
      (br_if $L0 (i32.gt_s (local.tee 3 (i32.sub (local.get 3) (i32.const 1))) (i32.const 0)))
    )
  )
  (func $f1 (type 2) (param i32 f32 f64)
    (local i64 f64 f64 i32 i32 f32 f64 f32 f64)
    (drop
      (f64.const 0x0.0p0)
      (f32.const 0x0.0p0)
      (if $i1 (type 7) (param f64 f32) (result i32)
        (i64.le_s (local.get 3) (i64.const 0))
        (then
          (call $f0 (local.get 0))
          (local.set 8)
          (local.set 2)
          (i32.const 0)
        )
        (else
          (local.set 1)
          (local.set 9)
          (i32.const 0)
        )
      )
      (if $i0 (result f64)
        (then
          (global.get 0)
        )
        (else
          (global.get 0)
        )
      )
    )
  )
  (export "f1" (func $f1))
)
;; call f1 i32:0x0 f32:0x0 f64:0x0
;; expect returns nothing
