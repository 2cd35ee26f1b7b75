// WeakMap and WeakSet: object keys only, private data per object.
const privates = new WeakMap();
class Account {
  constructor(balance) { privates.set(this, { balance, history: [] }); }
  deposit(n) {
    const p = privates.get(this);
    p.balance += n;
    p.history.push(n);
    return this;
  }
  get balance() { return privates.get(this).balance; }
}
const acct = new Account(10).deposit(5).deposit(7);
console.log(acct.balance, privates.has(acct), privates.get(acct).history);
const seen = new WeakSet();
const a = {}, b = {};
seen.add(a);
console.log(seen.has(a), seen.has(b));
seen.delete(a);
console.log(seen.has(a));
for (const bad of [1, 'str', null, undefined, Symbol.for('registered')]) {
  try {
    new WeakMap().set(bad, 1);
    console.log('accepted', typeof bad);
  } catch (e) {
    console.log('rejected', typeof bad, e instanceof TypeError);
  }
}
const cache = new WeakMap();
function area(rect) {
  if (!cache.has(rect)) cache.set(rect, rect.w * rect.h);
  return cache.get(rect);
}
const r = { w: 3, h: 4 };
console.log(area(r), area(r), cache.get(r));
console.log(new WeakMap([[a, 1]]).get(a), typeof WeakMap.prototype.clear);
