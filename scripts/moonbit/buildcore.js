const fs = require('fs');
const path = require('path');
const { call } = require('./moonc.js');
const CORE = process.env.MOONBIT_CORE;
const OUT = process.env.MOONBIT_OUT;
fs.mkdirSync(OUT, { recursive: true });
const pk = JSON.parse(fs.readFileSync(CORE + '/_build/packages.json')).packages;
const byPath = {};
for (const p of pk) byPath['moonbitlang/core/' + p.rel] = p;
const wanted = process.argv.slice(2);
const done = {};
async function build(pkgPath) {
  if (done[pkgPath]) return done[pkgPath];
  const p = byPath[pkgPath];
  if (!p) throw new Error('no package ' + pkgPath);
  for (const d of p.deps) await build(d.path);
  const cached = OUT + '/' + pkgPath.replace(/\//g, '_');
  if (fs.existsSync(cached + '.core')) { done[pkgPath] = { core: fs.readFileSync(cached + '.core'), mi: fs.readFileSync(cached + '.mi') }; return done[pkgPath]; }
  const mbtFiles = [];
  for (const [f, meta] of Object.entries(p.files)) {
    if (!meta.backend.includes('WasmGC') || !meta.optlevel.includes('Release')) continue;
    const fp = CORE + f.slice('moonbit-core:/lib/core'.length);
    mbtFiles.push([f, fs.readFileSync(fp, 'utf8')]);
  }
  const t0 = Date.now();
  const r = await call('buildPackage', {
    mbtFiles, miFiles: p.deps.map(d => [OUT + '/' + d.path.replace(/\//g, '_') + '.mi:' + d.alias, done[d.path].mi]),
    indirectImportMiFiles: [], stdMiFiles: [], target: 'wasm-gc', pkg: pkgPath,
    pkgSources: [pkgPath + ':' + p['root-path']], isMain: false, errorFormat: 'human', enableValueTracing: false, noOpt: false,
  });
  if (!r.core) { console.error(pkgPath, r.diagnostics.join('\n').slice(0, 3000)); process.exit(1); }
  const base = OUT + '/' + pkgPath.replace(/\//g, '_');
  fs.writeFileSync(base + '.core', r.core);
  fs.writeFileSync(base + '.mi', r.mi);
  console.error('built', pkgPath, mbtFiles.length, 'files', Date.now() - t0, 'ms', r.diagnostics.length, 'diagnostics');
  done[pkgPath] = { core: r.core, mi: r.mi, order: Object.keys(done).length };
  return done[pkgPath];
}
(async () => {
  for (const w of wanted) await build(w);
  fs.writeFileSync(OUT + '/order.json', JSON.stringify(Object.keys(done)));
})().catch(e => { console.error('failed', e); process.exit(1); });
