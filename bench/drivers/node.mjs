// node: Node.js's V8 (Liftoff baseline, then TurboFan for hot functions) running the module through
// the WebAssembly JS API, measured as the Java harness does (BenchMain). Prints ONE JSON line.
//   node node.mjs ENGINE PROGRAM.wasm ARG [WARMUP_SECONDS] [ITERATIONS]
// load_ms = WebAssembly.compile + instantiate.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [engine, file, argText, warmupText = '3', iterText = '5'] = process.argv.slice(2);
const arg = Number.parseInt(argText, 10);
const warmupNs = BigInt(Math.round(Number.parseFloat(warmupText) * 1e9));
const iterations = Math.max(1, Number.parseInt(iterText, 10));
const bytes = readFileSync(file);
const ms = (ns) => Number(ns) / 1e6;

const t0 = process.hrtime.bigint();
const module = await WebAssembly.compile(bytes);
const instance = await WebAssembly.instantiate(module, {});
const loadNs = process.hrtime.bigint() - t0;
const run = instance.exports.run;

let result = 0, warmups = 0;
const warmupEnd = process.hrtime.bigint() + warmupNs;
do {
  result = run(arg);
  warmups++;
} while (process.hrtime.bigint() < warmupEnd || warmups < 2);

const times = [];
for (let i = 0; i < iterations; i++) {
  const s = process.hrtime.bigint();
  const r = run(arg);
  times.push(ms(process.hrtime.bigint() - s));
  if (r !== result) throw new Error(`result changed between calls: ${result} vs ${r}`);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({
  engine, program: basename(file, '.wasm'), arg, result,
  median_ms: +times[iterations >> 1].toFixed(3), min_ms: +times[0].toFixed(3),
  max_ms: +times[iterations - 1].toFixed(3), load_ms: +ms(loadNs).toFixed(1), warmup_calls: warmups,
}));
