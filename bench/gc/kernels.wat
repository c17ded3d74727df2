;; Wasm GC kernels that stress field access, arrays and casts rather than allocation:
;; a linked list walked and updated, i32/f64/i8 array loops, ref.test/ref.cast/br_on_cast over a
;; mixed array of subtypes, and a little allocation. _start stores a checksum in a global.
(module
  (type $node (struct (field $val (mut i32)) (field $next (ref null $node))))
  (type $ints (array (mut i32)))
  (type $floats (array (mut f64)))
  (type $bytes (array (mut i8)))
  (type $shape (sub (struct (field $tag i32))))
  (type $circle (sub $shape (struct (field $tag i32) (field $r f64))))
  (type $square (sub $shape (struct (field $tag i32) (field $side f64))))
  (type $big (sub final $circle (struct (field $tag i32) (field $r f64) (field $w i16))))
  (type $shapes (array (mut (ref null $shape))))
  (global $result (export "result") (mut i32) (i32.const 0))

  (func $list (param $n i32) (result (ref null $node))
    (local $l (ref null $node))
    (loop $mk
      (local.set $l (struct.new $node (local.get $n) (local.get $l)))
      (br_if $mk (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $l))

  ;; walks the list `rounds` times, adding each value and bumping it
  (func $walk (param $l (ref null $node)) (param $rounds i32) (result i32)
    (local $p (ref null $node)) (local $sum i32)
    (loop $round
      (local.set $p (local.get $l))
      (block $end
        (loop $next
          (br_if $end (ref.is_null (local.get $p)))
          (local.set $sum (i32.add (local.get $sum) (struct.get $node $val (local.get $p))))
          (struct.set $node $val (local.get $p) (i32.add (struct.get $node $val (local.get $p)) (i32.const 1)))
          (local.set $p (struct.get $node $next (local.get $p)))
          (br $next)))
      (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
    (local.get $sum))

  (func $ints (param $n i32) (param $rounds i32) (result i32)
    (local $a (ref $ints)) (local $i i32) (local $sum i32)
    (local.set $a (array.new_default $ints (local.get $n)))
    (loop $round
      (local.set $i (i32.const 0))
      (loop $fill
        (array.set $ints (local.get $a) (local.get $i)
          (i32.add (array.get $ints (local.get $a) (local.get $i)) (local.get $i)))
        (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (array.len (local.get $a)))))
      (local.set $i (i32.const 0))
      (loop $add
        (local.set $sum (i32.xor (i32.rotl (local.get $sum) (i32.const 1)) (array.get $ints (local.get $a) (local.get $i))))
        (br_if $add (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (array.len (local.get $a)))))
      (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
    (local.get $sum))

  (func $floats (param $n i32) (param $rounds i32) (result i32)
    (local $a (ref $floats)) (local $i i32) (local $sum f64)
    (local.set $a (array.new $floats (f64.const 0.5) (local.get $n)))
    (loop $round
      (local.set $i (i32.const 1))
      (loop $smooth
        (array.set $floats (local.get $a) (local.get $i)
          (f64.mul (f64.const 0.5) (f64.add (array.get $floats (local.get $a) (local.get $i))
                                            (array.get $floats (local.get $a) (i32.sub (local.get $i) (i32.const 1))))))
        (local.set $sum (f64.add (local.get $sum) (array.get $floats (local.get $a) (local.get $i))))
        (br_if $smooth (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
    (i32.trunc_sat_f64_s (local.get $sum)))

  (func $bytes (param $n i32) (param $rounds i32) (result i32)
    (local $a (ref $bytes)) (local $i i32) (local $sum i32)
    (local.set $a (array.new_default $bytes (local.get $n)))
    (loop $round
      (local.set $i (i32.const 0))
      (loop $b
        (array.set $bytes (local.get $a) (local.get $i)
          (i32.add (array.get_u $bytes (local.get $a) (local.get $i)) (i32.const 3)))
        (local.set $sum (i32.add (local.get $sum) (array.get_s $bytes (local.get $a) (local.get $i))))
        (br_if $b (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
    (local.get $sum))

  (func $area (param $s (ref null $shape)) (result f64)
    (block $sq (result (ref $square))
      (block $ci (result (ref $circle))
        (br_on_cast $ci (ref null $shape) (ref $circle) (local.get $s))
        (br_on_cast $sq (ref null $shape) (ref $square) (local.get $s))
        (return (f64.const 0)))
      struct.get $circle $r
      f64.const 3
      f64.mul
      return)
    struct.get $square $side)

  (func $casts (param $n i32) (param $rounds i32) (result i32)
    (local $a (ref $shapes)) (local $i i32) (local $sum f64) (local $count i32) (local $s (ref null $shape))
    (local.set $a (array.new_default $shapes (local.get $n)))
    (loop $fill
      (array.set $shapes (local.get $a) (local.get $i)
        (if (result (ref $shape)) (i32.eqz (i32.rem_u (local.get $i) (i32.const 3)))
          (then (struct.new $circle (i32.const 1) (f64.convert_i32_u (local.get $i))))
          (else (if (result (ref $shape)) (i32.eq (i32.rem_u (local.get $i) (i32.const 3)) (i32.const 1))
            (then (struct.new $square (i32.const 2) (f64.convert_i32_u (local.get $i))))
            (else (struct.new $big (i32.const 3) (f64.const 2) (i32.const 7)))))))
      (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (loop $round
      (local.set $i (i32.const 0))
      (loop $each
        (local.set $s (array.get $shapes (local.get $a) (local.get $i)))
        (local.set $sum (f64.add (local.get $sum) (call $area (local.get $s))))
        (if (ref.test (ref $big) (local.get $s))
          (then (local.set $count (i32.add (local.get $count)
                  (struct.get_s $big $w (ref.cast (ref $big) (local.get $s)))))))
        (br_if $each (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
    (i32.add (local.get $count) (i32.trunc_sat_f64_s (f64.div (local.get $sum) (f64.const 1000)))))

  ;; short-lived pairs: allocation with a little field traffic
  (func $alloc (param $n i32) (result i32)
    (local $sum i32) (local $p (ref null $node))
    (loop $l
      (local.set $p (struct.new $node (local.get $n) (struct.new $node (i32.const 1) (local.get $p))))
      (local.set $sum (i32.add (local.get $sum) (struct.get $node $val (local.get $p))))
      (if (i32.eqz (i32.and (local.get $n) (i32.const 255))) (then (local.set $p (ref.null $node))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))

  (func (export "_start")
    (global.set $result
      (i32.add (call $walk (call $list (i32.const 1000)) (i32.const 1000))
      (i32.add (call $ints (i32.const 10000) (i32.const 100))
      (i32.add (call $floats (i32.const 10000) (i32.const 60))
      (i32.add (call $bytes (i32.const 10000) (i32.const 100))
      (i32.add (call $casts (i32.const 3000) (i32.const 100))
               (call $alloc (i32.const 300000))))))))))
