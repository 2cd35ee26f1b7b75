// async/await: ordering against synchronous code and other microtasks.
const log = [];
async function a() {
  log.push('a1');
  await null;
  log.push('a2');
  await new Promise((r) => r());
  log.push('a3');
  return 'A';
}
async function b() {
  log.push('b1');
  const v = await a();
  log.push(`b2:${v}`);
  return v + 'B';
}
log.push('start');
const pb = b();
Promise.resolve().then(() => log.push('then1')).then(() => log.push('then2'));
queueMicrotask(() => log.push('micro'));
log.push('sync end');
pb.then((v) => {
  log.push(`result:${v}`);
  console.log(log.join('\n'));
});

async function thrower() { await 0; throw new Error('async failure'); }
(async () => {
  try {
    await thrower();
  } catch (e) {
    console.log('caught', e.message);
  } finally {
    console.log('finally after await');
  }
  const results = await Promise.all([1, 2, 3].map(async (x) => { await null; return x * 2; }));
  console.log(results);
  const seq = [];
  for (const x of [3, 1, 2]) seq.push(await new Promise((r) => setTimeout(() => r(x), x)));
  console.log(seq);
  const arrow = async (x) => x + 1;
  console.log(await arrow(41), arrow.constructor.name);
})();
