// A rejection nobody handles ends the program with status 1 once the
// microtasks have run (a handler added within them is in time); timers
// due later never run.
console.log('start');
const handledLate = Promise.reject(new Error('handled in a microtask'));
Promise.resolve().then(() => handledLate.catch((e) => console.log('late handler got:', e.message)));
setTimeout(() => console.log('timer: never runs'), 10);
(async () => {
  await null;
  console.log('async function about to throw');
  throw new RangeError('nobody catches this');
})();
console.log('end of script');
