// harness.js - runs one module with node (V8) the way diff-driver runs it
// with b8g, printing the same line protocol (see driver.c).
//
//   node harness.js module.wasm module.sigs
//
// module.sigs lists each exported function's parameter and result types
// ("NAME\tPARAMS\tRESULTS" from `diff-driver --sigs`): JS cannot see them,
// and i64 parameters need BigInt zeros, f32 results their own formatting.
'use strict';
const fs = require('fs');

const [wasmPath, sigPath] = process.argv.slice(2);
const bytes = fs.readFileSync(wasmPath);
const params = new Map();
const results = new Map();
const words = (s) => (s || '').trim().split(' ').filter((w) => w);
if (sigPath && fs.existsSync(sigPath)) {
  for (const line of fs.readFileSync(sigPath, 'utf8').split('\n')) {
    if (!line) continue;
    const [name, ps, rs] = line.split('\t');
    params.set(name, words(ps));
    results.set(name, words(rs));
  }
}
const out = [];
const put = (s) => out.push(s);

const view = new DataView(new ArrayBuffer(8));
function f32(x) {
  if (Number.isNaN(x)) return 'nan';
  view.setFloat32(0, x);
  return 'f32:0x' + view.getUint32(0).toString(16).padStart(8, '0');
}
function f64(x) {
  if (Number.isNaN(x)) return 'nan';
  view.setFloat64(0, x);
  return 'f64:0x' + view.getBigUint64(0).toString(16).padStart(16, '0');
}
function fmt(t, v) {
  switch (t) {
    case 'i32': return String(v | 0);
    case 'i64': return BigInt.asIntN(64, v).toString();
    case 'f32': return f32(v);
    case 'f64': return f64(v);
    default: return v === null ? 'null' : 'ref';
  }
}

function trapKind(e) {
  const m = String(e && e.message);
  if (e instanceof RangeError && /call stack/i.test(m)) return 'stack';
  if (!(e instanceof WebAssembly.RuntimeError)) return 'host ' + m;
  if (/unreachable/.test(m)) return 'unreachable';
  if (/divide by zero|remainder by zero/.test(m)) return 'div0';
  // Integer overflow and invalid conversion are one class (see driver.c).
  if (/unrepresentable|integer overflow/.test(m)) return 'overflow';
  if (/memory access out of bounds|data segment/.test(m)) return 'memory';
  if (/table index is out of bounds|element segment|table/.test(m)) return 'table';
  if (/null function|signature mismatch/.test(m)) return 'indirect';
  return 'other ' + m;
}

function logger(type) {
  return (...args) => { put('log ' + args.map((a) => fmt(type, a)).join(' ')); };
}

let mod;
try {
  mod = new WebAssembly.Module(bytes);
} catch (e) {
  put('invalid');
}
if (mod) {
  const imports = {};
  for (const imp of WebAssembly.Module.imports(mod)) {
    if (imp.kind !== 'function') continue;
    imports[imp.module] = imports[imp.module] || {};
    const m = /^log-(i32|i64|f32|f64)$/.exec(imp.name);
    imports[imp.module][imp.name] =
      imp.module === 'fuzzing-support' && m ? logger(m[1]) : () => 0;
  }
  let inst;
  try {
    inst = new WebAssembly.Instance(mod, imports);
    put('start-ok');
  } catch (e) {
    put(e instanceof WebAssembly.LinkError ? 'start-error ' + e.message
                                           : 'start-trap ' + trapKind(e));
  }
  if (inst) {
    let memory = null;
    for (const exp of WebAssembly.Module.exports(mod)) {
      const x = inst.exports[exp.name];
      if (exp.kind === 'memory' && !memory) memory = x;
      if (exp.kind !== 'function') continue;
      put('call ' + exp.name);
      const args = (params.get(exp.name) || []).map((t) => (t === 'i64' ? 0n : t.endsWith('ref') ? null : 0));
      try {
        const r = x(...args);
        const vals = r === undefined ? [] : Array.isArray(r) ? r : [r];
        const rt = results.get(exp.name) || [];
        put(['result', ...vals.map((v, i) => fmt(rt[i], v))].join(' '));
      } catch (e) {
        put('trap ' + trapKind(e));
      }
    }
    if (memory) {
      const b = new Uint8Array(memory.buffer);
      let h = 2166136261;
      for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 16777619) >>> 0;
      put('memory ' + (b.length >>> 16) + ' ' + h.toString(16).padStart(8, '0'));
    }
  }
}
process.stdout.write(out.map((l) => l + '\n').join(''));
