;; Fixed: native code that called out (to the interpreter) went on unwinding after the interpreter caught an
;; exception thrown by a nested native call: the THROW trap code stayed in the shared execution state (NativeBinding
;; now clears it when the entry trampoline returns one).
;; Found by DifferentialFuzz round, seed 1330290353363123248; engines [wasmtime, interp, native, auto(1,1), auto(2,3), auto(5,2), cached], the first is the reference.
;; | call 1 of 1: f1 f64:0x0 i64:0x0 i32:0x0 i32:0x0
;; |   wasmtime     returns i32:0x0 (0)
;; |   interp       returns i32:0x0 (0)
;; |   native       returns i32:0x0 (0)
;; |   auto(1,1)    returns i32:0x0 (0)
;; |   auto(2,3)    FAILED java.lang.IllegalStateException: native code returned 101, which is neither a trap code nor a known exit of the entry trampoline: an internal error in kiln's generated code
;; |   auto(5,2)    trap "host function error"
;; |   cached       returns i32:0x0 (0)
(module
  (type (;0;) (func (param f64 i64 i32 i32) (result i32)))
  (type (;1;) (func (param i64)))
  (type (;2;) (func (param i32)))
  (type (;3;) (func (result i64 exnref)))
  (type (;4;) (func (param f64) (result i32)))
  (type (;5;) (func (param f64 f64 f64) (result f64 f64 f64)))
  (type (;6;) (func (param i64) (result f64)))
  (type (;7;) (func (param i64 i32)))
  (type (;8;) (func (result i64 i32)))
  (memory (;0;) 1 1)
  (memory (;1;) 2 2)
  (memory (;2;) 2 2)
  (memory (;3;) 1 3)
  (tag $t0 (type 1) (param i64))
  (global (;0;) (mut i32) (i32.const 14))  ;; fuel of guarded calls
  (global (;1;) (mut i32) (i32.const -48))
  (func $f0 (type 0) (param f64 i64 i32 i32) (result i32)
    (local f32 i64 i32 i64 f32 i64 i32 i32 i32 i64 i64 exnref exnref f64 exnref i64 exnref i64 i32 i64 f64 i64 i32 i64 exnref exnref f32 f64 v128)
    (block $b1
      (block $b45 (type 3) (result i64 exnref)  ;; catch_ref lands here
        (block $b44 (result exnref)  ;; catch_all_ref lands here
          (block $b43 (result i64)  ;; catch lands here
            (f64.const 0x0.0p0)
            (local.set 10 (i32.const 4))  ;; trips of $L2
            (loop $L2 (type 4) (param f64) (result i32)
              (drop
                (br_if $L2
                  (f64.const 0x0.0p0)
                  (i32.gt_s (local.tee 10 (i32.sub (local.get 10) (i32.const 1))) (i32.const 0))
                )
              )
              (global.set 1
                (if (result i32)  ;; fuel guard
                  (i32.gt_s (global.get 0) (i32.const 0))
                  (then
                    (global.set 0 (i32.sub (global.get 0) (i32.const 1)))
                    (call_ref 0 (local.get 0) (i64.const 0) (i32.const 0) (local.get 3) (ref.func $f1))
                  )
                  (else
                    (i32.const 0)
                  )
                )
              )
              (drop
                (select
                  (local.tee 31 (throw $t0 (i64.const 0)))
                  (select (f64.const nan:0x8000000000000) (f64.const nan:0x4000000000000) (i64.ne (i64.and (i64.reinterpret_f64 (local.get 31)) (i64.const 2251799813685248)) (i64.const 0)))
                  (f64.eq (local.get 31) (local.get 31))
                )  ;; NaN made canonical (quiet) or the marker (signalling)
              )
              (local.set 17)
              (i32.const 0)
            )
            (try_table $b0 (type 2) (param i32) (catch $t0 $b43) (catch_all_ref $b44) (catch_ref $t0 $b45)
              (local.set 26)
            )
            (br $b1)
          )
          (local.set 27)
          (br $b1)
        )
        (local.set 28)
        (br $b1)
      )
      (local.set 29)
      (local.set 19)
    )
    (local.get 3)
  )
  (func $f1 (type 0) (param f64 i64 i32 i32) (result i32)
    (local i32 i32 f64 f64 i64 f64 i32 i32 i64 i64 i32 i64 f32 f64 v128)
    (select (result f64)
      (f64.const 0x0.0p0)
      (f64.const 0x0.0p0)
      (f64.ne
        (f64.const 0x0.0p0)
        (block $b2 (result f64)
          (block $b4 (result i64)  ;; catch lands here
            (block $b3  ;; catch_all lands here
              (i64.const 0)
              (try_table $b1 (type 6) (param i64) (result f64) (catch_all $b3) (catch $t0 $b4)
                (local.set 8)
                (block $b5 (result f64)
                  (drop (call $f0 (f64.const 0x0.0p0) (i64.const 0) (local.get 5) (i32.const 0)))
                  (f64.const 0x0.0p0)
                )
              )
              (br $b2)
            )
            (block $b1000085 (type 8) (result i64 i32)
              (i64.const 0)
              (i32.const 0)
            )
            (local.set 10 (i32.const 1))  ;; trips of $L6
            (loop $L6 (type 7) (param i64 i32)
              (local.set 14)
              (local.set 1)
            )
            (local.set 8 (i64.const 0))
            (local.get 0)
            (br $b2)
          )
          (local.set 15)
          (local.get 0)
        )
      )
    )
    (f64.const 0x0.0p0)
    (local.get 9)
    (if $i0 (type 5) (param f64 f64 f64) (result f64 f64 f64)
      (i32.const 0)
      (then
      )
    )
    (drop)
    (drop)
    (drop)
    (i32.const 0)
  )
  (export "f1" (func $f1))
  (export "t0" (tag $t0))
  (elem declare func $f1)
)
;; call f1 f64:0x0 i64:0x0 i32:0x0 i32:0x0
;; expect returns i32:0x0
