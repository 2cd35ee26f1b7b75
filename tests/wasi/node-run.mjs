#!/usr/bin/env -S node --no-warnings
// node-run.mjs - runs a wasm32-wasi command module under Node's built-in
// WASI preview1, with the command line of `b8g run`, so the WASI tests can
// use Node as an oracle for the semantics both engines share.
//
//   node node-run.mjs [--dir HOST[::GUEST][:ro]] [--env NAME=VALUE]
//                     [--env-inherit] [--stdin FILE] PROGRAM.wasm [ARGS...]
//
// The guest's argv is [PROGRAM.wasm, ARGS...].  Node has no read-only
// preopen, so ":ro" is accepted and ignored (tests relying on it are not
// compared).  Exit status: the guest's proc_exit code; on failure one line
// on stderr and the status b8g documents for the same failure (3 malformed,
// 6 link error, 7 trap, 2 usage), so both engines can be compared by status.
import fs from 'node:fs';
import v8 from 'node:v8';
import { WASI } from 'node:wasi';

// Node/V8 can crash after a guest finishes when WASI host functions are
// entered through V8's fast API calls (nodejs/node#46777); the slow path
// only changes how host calls are entered.
v8.setFlagsFromString('--no-turbo-fast-api-calls');

function usage(msg) {
  process.stderr.write(`node-run: ${msg}\n`);
  process.exit(2);
}

function parse(argv) {
  const o = { preopens: {}, env: {}, stdin: undefined };
  let i = 0;
  const value = (name) => {
    if (i + 1 >= argv.length) usage(`${name} needs a value`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { i++; break; }
    if (!a.startsWith('--')) break;
    if (a === '--dir') {
      let spec = value(a);
      if (spec.endsWith(':ro')) spec = spec.slice(0, -3);
      const sep = spec.indexOf('::');
      const host = sep < 0 ? spec : spec.slice(0, sep);
      const guest = sep < 0 ? spec : spec.slice(sep + 2);
      o.preopens[guest] = host;
    } else if (a === '--env') {
      const kv = value(a);
      const eq = kv.indexOf('=');
      if (eq <= 0) usage(`bad --env ${kv}`);
      o.env[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (a === '--env-inherit') {
      o.env = { ...process.env, ...o.env };
    } else if (a === '--stdin') {
      o.stdin = fs.openSync(value(a), 'r');
    } else {
      usage(`unknown option ${a}`);
    }
  }
  if (i >= argv.length) usage('no program given');
  o.program = argv[i];
  o.args = argv.slice(i);
  return o;
}

const o = parse(process.argv.slice(2));

async function main() {
  const wasi = new WASI({
    version: 'preview1',
    args: o.args,
    env: o.env,
    preopens: o.preopens,
    returnOnExit: true,
    ...(o.stdin === undefined ? {} : { stdin: o.stdin }),
  });
  const module = await WebAssembly.compile(fs.readFileSync(o.program));
  const instance = await WebAssembly.instantiate(module, {
    wasi_snapshot_preview1: wasi.wasiImport,
  });
  return wasi.start(instance);
}

function statusOf(err) {
  if (err instanceof WebAssembly.CompileError) return 3;
  if (err instanceof WebAssembly.LinkError) return 6;
  if (err instanceof WebAssembly.RuntimeError) return 7;
  if (err instanceof RangeError) return 7; // e.g. JS stack exhausted
  return 2;
}

main().then(
  (code) => { process.exitCode = code === undefined ? 0 : code; },
  (err) => {
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    process.stderr.write(`node-run: ${o.program}: ${msg}\n`);
    process.exitCode = statusOf(err);
  },
);
