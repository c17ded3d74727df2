// Runs moonc-worker.js (a comlink-exposed web worker) in node's main thread.
const listeners = [];
globalThis.self = globalThis;
globalThis.addEventListener = (t, cb) => { if (t === 'message') listeners.push(cb); };
globalThis.removeEventListener = () => {};
const pending = {};
globalThis.postMessage = (msg) => { const p = pending[msg.id]; if (p) { delete pending[msg.id]; p(msg); } };
require(process.env.MOONC_WORKER);
let n = 0;
function call(name, params) {
  return new Promise((res, rej) => {
    const id = 'c' + (++n);
    pending[id] = (m) => m.type === 'HANDLER' ? rej(m.value && m.value.value ? m.value.value : m.value) : res(m.value);
    for (const cb of listeners) cb({ data: { id, type: 'APPLY', path: [name], argumentList: [{ type: 'RAW', value: params }] }, ports: [] });
  });
}
module.exports = { call };
