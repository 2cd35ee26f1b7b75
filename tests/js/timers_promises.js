// Timers and promises together: sleep(), a sequential loop, a timeout
// race, and that all microtasks run before the next timer.
const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
const timeout = (p, ms) => Promise.race([p, sleep(ms).then(() => { throw new Error(`timed out after ${ms}ms`); })]);
(async () => {
  const t0 = [];
  for (const ms of [15, 5, 10]) {
    await sleep(ms);
    t0.push(ms);
  }
  console.log('sequential', t0);
  console.log(await timeout(sleep(5, 'fast enough'), 30));
  try {
    await timeout(sleep(60, 'too slow'), 20);
  } catch (e) {
    console.log(e.message);
  }
  const order = [];
  setTimeout(() => order.push('timer A'), 5);
  setTimeout(() => {
    order.push('timer B');
    Promise.resolve().then(() => order.push('micro from B')).then(() => order.push('micro 2 from B'));
  }, 10);
  setTimeout(() => order.push('timer C'), 15);
  await sleep(40);
  console.log(order.join(', '));
  let n = 0;
  await new Promise((resolve) => {
    const h = setInterval(() => { if (++n === 3) { clearInterval(h); resolve(); } }, 5);
  });
  console.log('interval resolved after', n);
})();
