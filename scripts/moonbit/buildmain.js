const fs = require('fs');
const { call } = require('./moonc.js');
const OUT = process.env.MOONBIT_OUT;
(async () => {
  const src = fs.readFileSync(process.argv[2], 'utf8');
  const order = JSON.parse(fs.readFileSync(OUT + '/order.json'));
  const std = order.map(p => { const g = p.slice('moonbitlang/core/'.length); return ['/lib/core/' + g + ':' + g, fs.readFileSync(OUT + '/' + p.replace(/\//g, '_') + '.mi')]; });
  const r = await call('buildPackage', {
    mbtFiles: [['main.mbt', src]], miFiles: [], indirectImportMiFiles: [], stdMiFiles: std, target: 'wasm-gc', pkg: 'moonpad/lib',
    pkgSources: ['moonpad/lib:moonpad:/'], isMain: true, errorFormat: 'human', enableValueTracing: false, noOpt: false,
  });
  if (!r.core) { console.error(r.diagnostics.join('\n')); process.exit(1); }
  if (r.diagnostics.length) console.error(r.diagnostics.join('\n'));
  const coreFiles = order.map(p => fs.readFileSync(OUT + '/' + p.replace(/\//g, '_') + '.core')).concat([r.core]);
  const l = await call('linkCore', {
    coreFiles, exportedFunctions: [], main: 'moonpad/lib', outputFormat: process.argv[4] || 'wasm',
    pkgSources: ['moonbitlang/core:moonbit-core:/lib/core', 'moonpad/lib:moonpad:/'], sources: {}, target: 'wasm-gc',
    testMode: false, sourceMap: false, debug: false, noOpt: false, stopOnMain: false,
  });
  fs.writeFileSync(process.argv[3], l.result);
  console.error('wrote', process.argv[3], l.result.length, 'bytes');
})().catch(e => { console.error('failed', e); process.exit(1); });
