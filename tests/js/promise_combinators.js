// Promise.all, allSettled, race and any, with resolved and rejected
// members and timers deciding the order.
const delay = (ms, v, fail) => new Promise((res, rej) => setTimeout(() => (fail ? rej(new Error(v)) : res(v)), ms));
(async () => {
  console.log(await Promise.all([delay(15, 'slow'), delay(5, 'fast'), 42]));
  try {
    await Promise.all([delay(5, 'ok'), delay(10, 'bad', true), delay(20, 'late', true)]);
  } catch (e) {
    console.log('all rejected with', e.message);
  }
  const settled = await Promise.allSettled([delay(5, 'x'), delay(3, 'y', true), 7]);
  console.log(settled.map((s) => (s.status === 'fulfilled' ? `ok:${s.value}` : `err:${s.reason.message}`)));
  console.log(await Promise.race([delay(20, 'tortoise'), delay(10, 'hare')]));
  console.log(await Promise.any([delay(5, 'no', true), delay(12, 'yes'), delay(8, 'also no', true)]));
  try {
    await Promise.any([Promise.reject(new Error('e1')), Promise.reject(new Error('e2'))]);
  } catch (e) {
    console.log(e instanceof AggregateError, e.errors.map((x) => x.message));
  }
  console.log(await Promise.all([]), await Promise.allSettled([]));
  const results = [];
  await Promise.all([30, 10, 20].map((ms) => delay(ms, ms).then((v) => results.push(v))));
  console.log(results);
})();
