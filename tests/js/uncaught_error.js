// An uncaught exception ends the program with status 1 at once: output
// written before it stays, queued jobs and timers never run.  (What is
// printed on stderr, the error and its stack, differs between engines and
// is checked by tests/cli/js.sh, not compared.)
console.log('before the throw');
setTimeout(() => console.log('timer: never runs'), 0);
Promise.resolve().then(() => console.log('microtask: never runs'));
function fail(depth) {
  if (depth === 0) throw new TypeError('deliberate failure');
  fail(depth - 1);
}
try {
  fail(1);
} catch (e) {
  console.log('caught the first one:', e.message);
}
fail(3);
console.log('after the throw: never printed');
