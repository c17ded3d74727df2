;; array.copy as GC languages' collections use it: a string builder appending 16-byte chunks to a
;; byte array that doubles (copies into a fresh array), a list of boxes that doubles its reference
;; array and removes from the front (an overlapping copy down), and a sorted i32 array kept sorted
;; by insertion (an overlapping copy up). _start stores a checksum in a global.
(module
  (type $bytes (array (mut i8)))
  (type $ints (array (mut i32)))
  (type $box (struct (field i32)))
  (type $boxes (array (mut (ref null $box))))
  (global $result (export "result") (mut i32) (i32.const 0))

  ;; $n appends of a 16-byte chunk to a builder starting at 16 bytes; the sum of a few bytes
  (func $builder (param $n i32) (result i32)
    (local $buf (ref $bytes)) (local $chunk (ref $bytes)) (local $next (ref $bytes)) (local $len i32) (local $i i32)
    (local.set $chunk (array.new $bytes (i32.const 65) (i32.const 16)))
    (local.set $buf (array.new_default $bytes (i32.const 16)))
    (loop $append
      (if (i32.gt_u (i32.add (local.get $len) (i32.const 16)) (array.len (local.get $buf)))
        (then
          (local.set $next (array.new_default $bytes (i32.shl (array.len (local.get $buf)) (i32.const 1))))
          (array.copy $bytes $bytes (local.get $next) (i32.const 0) (local.get $buf) (i32.const 0) (local.get $len))
          (local.set $buf (local.get $next))))
      (array.set $bytes (local.get $chunk) (i32.const 0) (local.get $i))
      (array.copy $bytes $bytes (local.get $buf) (local.get $len) (local.get $chunk) (i32.const 0) (i32.const 16))
      (local.set $len (i32.add (local.get $len) (i32.const 16)))
      (br_if $append (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.add (array.get_u $bytes (local.get $buf) (i32.sub (local.get $len) (i32.const 16)))
             (array.get_u $bytes (local.get $buf) (i32.const 15))))

  ;; adds $n boxes to a list that doubles, then removes the first element $n / 2 times; the sum left
  (func $list (param $n i32) (result i32)
    (local $a (ref $boxes)) (local $next (ref $boxes)) (local $len i32) (local $i i32) (local $sum i32)
    (local.set $a (array.new_default $boxes (i32.const 4)))
    (loop $add
      (if (i32.eq (local.get $len) (array.len (local.get $a)))
        (then
          (local.set $next (array.new_default $boxes (i32.shl (local.get $len) (i32.const 1))))
          (array.copy $boxes $boxes (local.get $next) (i32.const 0) (local.get $a) (i32.const 0) (local.get $len))
          (local.set $a (local.get $next))))
      (array.set $boxes (local.get $a) (local.get $len) (struct.new $box (local.get $len)))
      (br_if $add (i32.lt_u (local.tee $len (i32.add (local.get $len) (i32.const 1))) (local.get $n))))
    (loop $remove
      (array.copy $boxes $boxes (local.get $a) (i32.const 0) (local.get $a) (i32.const 1) (i32.sub (local.get $len) (i32.const 1)))
      (local.set $len (i32.sub (local.get $len) (i32.const 1)))
      (br_if $remove (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.shr_u (local.get $n) (i32.const 1)))))
    (local.set $i (i32.const 0))
    (loop $add
      (local.set $sum (i32.add (local.get $sum) (struct.get $box 0 (ref.as_non_null (array.get $boxes (local.get $a) (local.get $i))))))
      (br_if $add (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $len))))
    (local.get $sum))

  ;; inserts $n pseudo-random values into a sorted array (binary search, then the tail moved up by one)
  (func $sorted (param $n i32) (result i32)
    (local $a (ref $ints)) (local $len i32) (local $v i32) (local $lo i32) (local $hi i32) (local $mid i32)
    (local.set $a (array.new_default $ints (local.get $n)))
    (local.set $v (i32.const 12345))
    (loop $insert
      (local.set $v (i32.add (i32.mul (local.get $v) (i32.const 1103515245)) (i32.const 12345)))
      (local.set $lo (i32.const 0))
      (local.set $hi (local.get $len))
      (block $found
        (loop $search
          (br_if $found (i32.ge_u (local.get $lo) (local.get $hi)))
          (local.set $mid (i32.shr_u (i32.add (local.get $lo) (local.get $hi)) (i32.const 1)))
          (if (i32.lt_u (array.get $ints (local.get $a) (local.get $mid)) (local.get $v))
            (then (local.set $lo (i32.add (local.get $mid) (i32.const 1))))
            (else (local.set $hi (local.get $mid))))
          (br $search)))
      (array.copy $ints $ints (local.get $a) (i32.add (local.get $lo) (i32.const 1)) (local.get $a) (local.get $lo)
        (i32.sub (local.get $len) (local.get $lo)))
      (array.set $ints (local.get $a) (local.get $lo) (local.get $v))
      (br_if $insert (i32.lt_u (local.tee $len (i32.add (local.get $len) (i32.const 1))) (local.get $n))))
    (i32.xor (array.get $ints (local.get $a) (i32.const 0))
             (array.get $ints (local.get $a) (i32.shr_u (local.get $n) (i32.const 1)))))

  (func (export "_start")
    (local $r i32) (local $sum i32)
    (loop $rounds
      (local.set $sum (i32.add (local.get $sum)
        (i32.add (call $builder (i32.const 5000))
        (i32.add (call $list (i32.const 3000))
                 (call $sorted (i32.const 2000))))))
      (br_if $rounds (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 8))))
    (global.set $result (local.get $sum))))
