;; The auto tier with promotion part-way (hot at the 2nd call or 3rd back edge) trapped "out of bounds
;; memory access": an OSR continuation of the inner f0 grew memory, and after it returned through the
;; interpreter the interpreted outer f0 still checked against the old memory size (interpreter). Fixed
;; with runtime-stub OsrMemoryGrowthTest.
;; | call 2 of 2: f2
;; |   wasmtime     returns i32:0xffffffe1 (-31)
;; |   interp       returns i32:0xffffffe1 (-31)
;; |   native       returns i32:0xffffffe1 (-31)
;; |   auto(1,1)    returns i32:0xffffffe1 (-31)
;; |   auto(2,3)    trap "out of bounds memory access"
(module
  (type (;0;) (func (param f64) (result i32)))
  (type (;1;) (func (param f32 i32)))
  (type (;2;) (func (param f64) (result i64)))
  (type (;3;) (func (result i32)))
  (type (;4;) (func (param f64)))
  (type (;5;) (func (result i64)))
  (type (;6;) (func (param f64 f64) (result i32)))
  (memory (;0;) 1 3)
  (global (;0;) f64 (f64.const -0x1.e7p5))
  (global (;1;) (mut i32) (i32.const 5))  ;; fuel of guarded calls
  (func $f0 (type 0) (param f64) (result i32)
    (local f64 f32 i32 i32 i32 i32 i32 i64 i32 i64 i32 i32 i32 f32 f64)
    (if $i0
      (if (result i32)  ;; fuel guard
        (i32.gt_s (global.get 1) (i32.const 0))
        (then
          (global.set 1 (i32.sub (global.get 1) (i32.const 1)))
          (call $f2)
        )
        (else
          (i32.const 0)
        )
      )
      (then
        (br_table $i0 $i0 $i0 $i0 $i0 (i32.trunc_f64_s (f64.load offset=65531 align=4 (i32.const 0))))
      )
      (else
        (br_if $i0
          (local.set 12 (i32.const 3))  ;; trips of $L19
          (loop $L19 (result i32)
            (br_if $L19 (i32.gt_s (local.tee 12 (i32.sub (local.get 12) (i32.const 1))) (i32.const 0)))
            (memory.grow (i32.const 1))
          )
        )
      )
    )
    (i32.const -31)
  )
  (func $f1 (type 1) (param f32 i32)
    (local i32 f32 i32 f64 f64 f32 f64)
    (local.set 1
      (f64.const 0x0.0p0)
      (f64.convert_i64_s
        (if (result i64)  ;; fuel guard
          (i32.gt_s (global.get 1) (i32.const 0))
          (then
            (global.set 1 (i32.sub (global.get 1) (i32.const 1)))
            (i64.const 0)
          )
          (else
            (i64.const 0)
          )
        )
      )
      (local.set 4 (i32.const 1))  ;; trips of $L1
      (loop $L1 (type 6) (param f64 f64) (result i32)
        (local.set 6)
        (local.set 5)
        (i32.const 0)
      )
    )
  )
  (func $f2 (type 3) (result i32)
    (local f32 i64 i64 i32 i32 i64 i32 i64 i64 i32 i32 f64 f32 f64)
    (local.set 0
      (select
        (local.tee 12
          (select
            (local.tee 12
              (return
                (if (result i32)  ;; fuel guard
                  (i32.gt_s (global.get 1) (i32.const 0))
                  (then
                    (global.set 1 (i32.sub (global.get 1) (i32.const 1)))
                    (call $f0 (global.get 0))
                  )
                  (else
                    (i32.const 0)
                  )
                )
              )
            )
            (f32.const nan:0x400000)
            (f32.eq (local.get 12) (local.get 12))
          )  ;; canonical NaN
        )
        (f32.const nan:0x400000)
        (f32.eq (local.get 12) (local.get 12))
      )  ;; canonical NaN
    )
    (local.get 4)
  )
  (export "f1" (func $f1))
  (export "f2" (func $f2))
)
;; call f1 f32:0x0 i32:0x0
;; expect returns nothing
;; call f2
;; expect returns i32:0xffffffe1
