;; The interpreter failed ("v0 has no slot"): a fused compare-and-branch on (0 >u x) was laid out on
;; its inverse, (0 <=u x) = (x >=u 0), which has no immediate form, while the constant 0 had been
;; left without a frame slot because the comparison itself has one; and (0 >=u 0) takes the constant
;; on the right as its immediate while its inverse (0 <u 0) takes the one on the left, so each
;; constant must keep its slot (interpreter FunctionCompiler). Found by the differential tests with
;; v128 code; these are the scalar cores of the findings.
(module
  (memory 1)
  (func (export "f0") (result i32)
    (if (result i32) (i32.gt_u (i32.const 0) (i32.load8_u (i32.const 0)))
      (then (i32.const 1))
      (else (i32.const 2))))
  (func (export "f1") (param i32) (result i32)
    (if (result i32) (i32.gt_u (i32.const 0) (local.get 0))
      (then (i32.const 1))
      (else (i32.const 2))))
  (func (export "f2") (param i32) (result i32)
    (if (result i32) (i32.ge_u (i32.const 0) (i32.const 0))
      (then (i32.const 1))
      (else (i32.const 2)))))
;; call f0
;; expect returns i32:0x2
;; call f1 i32:0x0
;; expect returns i32:0x2
;; call f1 i32:0xffffffff
;; expect returns i32:0x2
;; call f2 i32:0x0
;; expect returns i32:0x1
