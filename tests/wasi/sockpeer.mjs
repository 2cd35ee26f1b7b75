#!/usr/bin/env -S node --no-warnings
// sockpeer.mjs - the host side of sockio.wasm: runs an engine command with
// sockets as the guest's stdio and prints what both sides saw, for
// tests/wasi/run.sh to compare with expected/sock-*.txt.
//
//   node sockpeer.mjs stream|listen ENGINE-ARGS... SOCKIO.wasm
//
// stream: stdin and stdout are socket pairs (how Node's child_process
// makes its pipes); the peer sends "ping" and reads until end of stream.
// listen: stdin is a listening TCP socket on 127.0.0.1; once the guest
// says "ready" the peer connects, sends "hello" and reads the reply.
// Node's own copy of the listening socket is closed first, so only the
// guest accepts.
import { spawn } from 'node:child_process';
import net from 'node:net';

const [mode, cmd, ...args] = process.argv.slice(2);
const lines = [];
const report = (s) => lines.push(s);

function run(stdin) {
  const child = spawn(cmd, [...args, mode], { stdio: [stdin, 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stderr.on('data', (d) => { err += d; });
  child.stdout.on('data', (d) => { out += d; });
  return { child, err: () => err, out: () => out };
}

function finish(r, code, extra) {
  report(`guest stderr:\n${r.err().trimEnd()}`);
  if (extra) extra();
  report(`exit: ${code}`);
  process.stdout.write(lines.join('\n') + '\n');
}

// Resolves when the child has exited and its stdio has closed.
const exited = (r) => new Promise((resolve) => r.child.on('close', resolve));

if (mode === 'stream') {
  const r = run('pipe');
  r.child.stdin.write('ping');
  r.child.stdout.on('end', () => {
    report(`peer got: "${r.out()}" then end of stream`);
    r.child.stdin.end();
  });
  exited(r).then((code) => finish(r, code));
} else if (mode === 'listen') {
  const server = net.createServer();
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    const r = run(server._handle.fd);
    server.close();
    let got = '';
    let connected = false;
    let talked;
    const done = new Promise((resolve) => { talked = resolve; });
    r.child.stderr.on('data', () => {
      if (connected || !r.err().includes('ready\n')) return;
      connected = true;
      const sock = net.connect(port, '127.0.0.1', () => sock.write('hello'));
      sock.on('data', (d) => { got += d; });
      sock.on('end', () => talked(`peer got: "${got}" then end of stream`));
      sock.on('error', (e) => talked(`peer error: ${e.code}`));
    });
    // The guest may exit before the peer has read the end of stream.
    exited(r).then(async (code) => {
      const line = await Promise.race([done, new Promise((res) => setTimeout(res, 5000, 'peer: no reply'))]);
      finish(r, code, () => report(line));
    });
  });
} else {
  process.stderr.write('usage: sockpeer.mjs stream|listen ENGINE-ARGS... SOCKIO.wasm\n');
  process.exit(2);
}
