// The iteration protocol: custom iterables, return() on early exit,
// spreading, Array.from, entries/keys/values.
class Range {
  constructor(lo, hi, step = 1) { Object.assign(this, { lo, hi, step }); }
  [Symbol.iterator]() {
    let v = this.lo;
    const { hi, step } = this;
    return {
      next: () => (v < hi ? { value: (v += step) - step, done: false } : { value: undefined, done: true }),
      return: () => { console.log('return() called'); return { done: true }; },
    };
  }
}
console.log([...new Range(0, 5)], Array.from(new Range(0, 10, 3)));
for (const v of new Range(0, 100)) { if (v > 2) break; console.log('v', v); }
const [p, q] = new Range(10, 20);
console.log(p, q);

const arr = ['a', 'b', 'c'];
console.log([...arr.entries()], [...arr.keys()], [...arr.values()]);
const m = new Map([[1, 'one'], [2, 'two']]);
console.log([...m.keys()], [...m.values()], Array.from(m, ([k, v]) => `${k}=${v}`));
const it = arr[Symbol.iterator]();
console.log(it.next(), it.next(), it.next(), it.next());
console.log(Array.from({ length: 3, 0: 'x', 2: 'z' }));
console.log(Array.from('héllo'), Array.from(new Set('banana')).join(''));

const lazy = {
  from: 1,
  to: 4,
  *[Symbol.iterator]() { for (let i = this.from; i <= this.to; i++) yield i * 10; },
};
console.log(Math.max(...lazy), [...lazy].reverse());
const zip = (...its) => {
  const iters = its.map((x) => x[Symbol.iterator]());
  const out = [];
  for (;;) {
    const steps = iters.map((i) => i.next());
    if (steps.some((s) => s.done)) return out;
    out.push(steps.map((s) => s.value));
  }
};
console.log(zip([1, 2, 3], 'ab', new Range(7, 100)));
