// Async generators and for await, over timers and plain iterables.
async function* ticker(n, ms) {
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setTimeout(r, ms));
    yield `tick ${i} (${ms}ms)`;
  }
}
async function* merge(...gens) {
  for (const g of gens) yield* g;
}
(async () => {
  for await (const t of merge(ticker(2, 5), ticker(2, 1))) console.log(t);
  for await (const v of [Promise.resolve(1), 2, new Promise((r) => setTimeout(() => r(3), 3))]) console.log('value', v);
  const src = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        next: async () => ({ done: i >= 3, value: i++ }),
        return: async () => { console.log('async return()'); return { done: true }; },
      };
    },
  };
  for await (const v of src) {
    console.log('src', v);
    if (v === 1) break;
  }
  const g = ticker(1, 1);
  console.log(await g.next(), await g.next());
  console.log(Object.prototype.toString.call(g));
})();
