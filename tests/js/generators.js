// Generators: yield, yield*, return/throw, infinite sequences, state.
function* count(from, to) {
  for (let i = from; i <= to; i++) yield i;
  return 'done';
}
const g = count(1, 3);
console.log(g.next(), g.next(), g.next(), g.next(), g.next());
console.log([...count(4, 7)]);

function* naturals() { let n = 0; while (true) yield n++; }
function* take(it, k) { for (const v of it) { if (k-- <= 0) return; yield v; } }
function* map(it, f) { for (const v of it) yield f(v); }
console.log([...take(map(naturals(), (x) => x * x), 6)]);

function* inner() { const got = yield 'inner-1'; console.log('inner got', got); return 'inner-result'; }
function* outer() {
  const r = yield* inner();
  console.log('delegation returned', r);
  yield* [10, 20];
}
const o = outer();
console.log(o.next().value);
console.log(o.next('hello').value);
console.log(o.next().value, o.next().done);

function* guarded() {
  try {
    yield 1;
    yield 2;
  } finally {
    console.log('cleanup');
  }
}
const gg = guarded();
console.log(gg.next().value, gg.return(42), gg.next());

function* catcher() {
  while (true) {
    try { yield; } catch (e) { console.log('caught inside:', e); }
  }
}
const c = catcher();
c.next();
c.throw('boom');
c.throw('again');
console.log(typeof c[Symbol.iterator], c[Symbol.iterator]() === c);

function* fibs() { let [a, b] = [0n, 1n]; for (;;) { yield a; [a, b] = [b, a + b]; } }
let last;
for (const f of take(fibs(), 91)) last = f;
console.log(last);
const gen = count(1, 2);
console.log(Object.prototype.toString.call(gen), gen);
