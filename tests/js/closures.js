// Closures: counters, captured loop variables, memoisation, currying.
function makeCounter(start = 0) {
  let n = start;
  return { inc: () => ++n, dec: () => --n, get: () => n };
}
const c1 = makeCounter();
const c2 = makeCounter(10);
c1.inc(); c1.inc(); c2.dec();
console.log(c1.get(), c2.get());

const withLet = [];
for (let i = 0; i < 3; i++) withLet.push(() => i);
const withVar = [];
for (var j = 0; j < 3; j++) withVar.push(() => j);
console.log(withLet.map((f) => f()), withVar.map((f) => f()));

function memo(fn) {
  const cache = new Map();
  let calls = 0;
  const wrapped = (n) => {
    if (!cache.has(n)) { calls++; cache.set(n, fn(n)); }
    return cache.get(n);
  };
  wrapped.calls = () => calls;
  return wrapped;
}
const fib = memo((n) => (n < 2 ? n : fib(n - 1) + fib(n - 2)));
console.log(fib(80), fib.calls());

const curry = (f) => (a) => (b) => (c) => f(a, b, c);
console.log(curry((a, b, c) => a * b + c)(3)(4)(5));

const compose = (...fns) => (x) => fns.reduceRight((acc, f) => f(acc), x);
console.log(compose((x) => x + 1, (x) => x * 2)(5));

function once(f) {
  let done = false, value;
  return function (...args) {
    if (!done) { done = true; value = f.apply(this, args); }
    return value;
  };
}
const init = once((x) => { console.log('init ran'); return x * 2; });
console.log(init(21), init(99));

const adders = Array.from({ length: 4 }, (_, k) => (x) => x + k);
console.log(adders.map((f) => f(100)));
(function () {
  var secret = 'hidden';
  globalThis.reveal = () => secret;
})();
console.log(reveal(), typeof secret);
