;; memory.grow of a 64-bit memory by a delta near 2^63 wrapped old + delta in MemoryInstance.growNow, so the
;; grow "succeeded" with a nonsense size and the next access trapped on every tier; it must return -1.
;; Found by the differential generator once it made 64-bit memories (seed 20260601).
(module
  (type (;0;) (func (param f32 i32) (result i32)))
  (memory (;0;) i64 1 2)
  (global (;0;) (mut f64) (f64.const 0x1.0p32))
  (func $f0 (type 0) (param f32 i32) (result i32)
    (local i32 f32 i32 i32 i64 f64 i32 f32 f64 v128)
    (global.set 0
      (select
        (local.tee 10
          (block $b0 (result f64)
            (i64.store align=2 (i64.const 0) (memory.grow (i64.const 9223372036854775807)))
            (local.get 7)
          )
        )
        (select (f64.const nan:0x8000000000000) (f64.const nan:0x4000000000000) (i64.ne (i64.and (i64.reinterpret_f64 (local.get 10)) (i64.const 2251799813685248)) (i64.const 0)))
        (f64.eq (local.get 10) (local.get 10))
      )  ;; NaN made canonical (quiet) or the marker (signalling)
    )
    (local.get 8)
  )
  (export "f0" (func $f0))
)
;; call f0 f32:0x0 i32:0x0
;; expect returns i32:0x0
