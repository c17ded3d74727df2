;; Fixed: x86-64 took a constant 64-bit address and offset whose sum passes 2^63 for a small displacement
;; (0x7fffffffffffffff + 48 wrapped to 47), so the access read byte 47 instead of trapping (X64MemoryLowering.displacement).
;; Found by DifferentialFuzz round, seed 2262893666029823553; engines [wasmtime, interp, native, auto(1,1), auto(2,3), auto(5,2), cached], the first is the reference.
;; | call 1 of 1: f0
;; |   wasmtime     trap "out of bounds memory access"
;; |   interp       trap "out of bounds memory access"
;; |   native       uncaught exception t1 with f32:0x0 (0.0) f32:0x0 (0.0)
;; |   auto(1,1)    trap "out of bounds memory access"
;; |   auto(2,3)    trap "out of bounds memory access"
;; |   auto(5,2)    trap "out of bounds memory access"
;; |   cached       uncaught exception t1 with f32:0x0 (0.0) f32:0x0 (0.0)
(module
  (type (;0;) (func (result i64 f64 f64 f32)))
  (type (;1;) (func (param i64 f32 i64 v128 f64 f32) (result v128 v128)))
  (type (;2;) (func (param f64 i32 i64 v128)))
  (type (;3;) (func (param i64) (result i64)))
  (type (;4;) (func (param i64 i64 i32 f64 f32 f32 i64 f64 f64 i64 v128) (result i64)))
  (type (;5;) (func (param f32)))
  (type (;6;) (func (param f32 f32)))
  (memory (;0;) i64 1 1)
  (memory (;1;) i64 1 1)
  (memory (;2;) 2 2)
  (memory (;3;) i64 1 2)
  (tag $t0 (type 5) (param f32))
  (tag $t1 (type 6) (param f32 f32))
  (func $f0 (type 0) (result i64 f64 f64 f32)
    (local f64 v128 i32 i32 f32 exnref f64 i64 f32 f32 f32 f64 v128)
    (throw $t1
      (select
        (local.tee 10
          (block $b2 (result f32)
            (block $b3
              (br_if $b3 (i32.load8_u 1 offset=48 (i64.const 9223372036854775807)))
            )
            (local.get 9)
          )
        )
        (select (f32.const nan:0x400000) (f32.const nan:0x200000) (i32.and (i32.reinterpret_f32 (local.get 10)) (i32.const 4194304)))
        (f32.eq (local.get 10) (local.get 10))
      )  ;; NaN made canonical (quiet) or the marker (signalling)
      (f32.const 0x0.0p0)
    )
    (i64.const 0)
    (f64.const 0x0.0p0)
    (f64.const 0x0.0p0)
    (local.get 9)
  )
  (export "f0" (func $f0))
  (export "t0" (tag $t0))
  (export "t1" (tag $t1))
)
;; call f0
;; expect trap out of bounds memory access
