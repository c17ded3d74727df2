"""Per-instruction profile of the last normal C2 compilation of Interpreter::loop (see interp-profile.sh).

usage: interp_profile.py PRINT.txt PERF.data [all] [TOP]
PRINT.txt: HotSpot's -XX:CompileCommand=print output (the code as hex words); PERF.data: perf samples.
"""
import bisect, collections, re, subprocess, sys, tempfile

text, data = sys.argv[1], sys.argv[2]
mode = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else "top"
top = int(sys.argv[4]) if len(sys.argv) > 4 else 60
lines = open(text, errors="replace").read().split("\n")
starts = [i for i, l in enumerate(lines) if l.startswith("Compiled method (c2)") and "Interpreter::loop" in l and " % " not in l]
if not starts: sys.exit("no normal C2 compilation of Interpreter::loop in the output (run longer: WARMUP=...)")
lo = hi = None
code = {}
for l in lines[starts[-1] + 1:]:
    if l.startswith("Compiled method"): break
    m = re.match(r"\s*main code\s+\[(0x[0-9a-f]+),(0x[0-9a-f]+)\]", l)
    if m: lo, hi = int(m.group(1), 16), int(m.group(2), 16)
    m = re.match(r"\s*(0x[0-9a-f]{16}): ([0-9a-f ]+(\|[0-9a-f ]+)*)$", l)
    if m:
        a = int(m.group(1), 16); hx = m.group(2).replace("|", "").replace(" ", "")
        for k in range(0, len(hx), 2): code[a + k // 2] = int(hx[k:k + 2], 16)
with tempfile.NamedTemporaryFile(suffix=".bin") as f:
    f.write(bytes(code.get(a, 0x90) for a in range(lo, hi))); f.flush()
    dis = subprocess.run(["objdump", "-D", "-b", "binary", "-mi386:x86-64", "--adjust-vma=%#x" % lo, f.name],
                         capture_output=True, text=True).stdout
ins = []
for l in dis.split("\n"):
    m = re.match(r"\s*([0-9a-f]+):\s+(?:[0-9a-f]{2} )+\s*(.*)", l)
    if m: ins.append((int(m.group(1), 16), m.group(2).strip()))
addrs = [a for a, _ in ins]
counts = collections.Counter()
total = 0
for s in subprocess.run(["perf", "script", "-i", data, "-F", "ip"], capture_output=True, text=True).stdout.split():
    ip = int(s, 16); total += 1
    if lo <= ip < hi: counts[bisect.bisect_right(addrs, ip) - 1] += 1
inside = sum(counts.values())
stack = sum(n for k, n in counts.items() if "(%rsp)" in ins[k][1])
print("samples: %d, in the loop: %d; on instructions that read or write a stack slot: %d (%.0f%%)"
      % (total, inside, stack, 100 * stack / max(inside, 1)))
if mode == "all":
    for k, (a, t) in enumerate(ins): print("%6s  %5x  %s" % (counts.get(k, ""), a - lo, t))
else:
    for k, n in counts.most_common(top): print("%6d %6.2f%%  %5x  %s" % (n, 100 * n / inside, ins[k][0] - lo, ins[k][1]))
