// Object methods, property order and property attributes.
const o = { b: 1, a: 2, 10: 'ten', 2: 'two', [Symbol('s')]: 3, '-1': 'neg', 1.5: 'float' };
console.log(Object.keys(o), Object.values(o), Object.entries(o).length, Reflect.ownKeys(o).length);
console.log(Object.fromEntries([['x', 1], ['y', [2]]]), Object.fromEntries(new Map([['m', 1]])));
const target = Object.assign({ a: 1 }, { b: 2 }, null, { a: 3 }, 'xy');
console.log(target);
const frozen = Object.freeze({ inner: { v: 1 } });
frozen.inner.v = 2;
frozen.added = true;
console.log(frozen, Object.isFrozen(frozen), Object.isFrozen(frozen.inner));
(function () {
  'use strict';
  try { frozen.x = 1; } catch (e) { console.log('strict write to frozen:', e instanceof TypeError); }
})();
const sealed = Object.seal({ s: 1 });
sealed.s = 2;
delete sealed.s;
sealed.t = 3;
console.log(sealed, Object.isSealed(sealed), Object.isExtensible(Object.preventExtensions({})));
const d = {};
Object.defineProperty(d, 'ro', { value: 1, enumerable: true });
Object.defineProperty(d, 'computed', { get() { return this.ro * 10; }, enumerable: false, configurable: true });
d.ro = 5;
console.log(d.ro, d.computed, JSON.stringify(d), Object.getOwnPropertyDescriptor(d, 'ro'));
console.log(Object.getOwnPropertyDescriptors({ get x() { return 1; }, y: 2 }));
console.log(Object.getOwnPropertyNames([1, 2]), Object.getOwnPropertyNames('ab'), Object.entries('hi'));
const proto = { greet() { return `hi from ${this.name}`; } };
const child = Object.create(proto, { name: { value: 'child', enumerable: true } });
console.log(child.greet(), Object.getPrototypeOf(child) === proto, proto.isPrototypeOf(child), child.hasOwnProperty('greet'));
console.log(Object.is(NaN, NaN), Object.is(0, -0), Object.keys('abc'), Object.entries([7, 8]));
const counts = {};
for (const ch of 'hello world') counts[ch] = (counts[ch] || 0) + 1;
console.log(counts);
for (const k in { z: 1, y: 2, __proto__: { inheritedKey: 3 } }) console.log('for-in', k);
console.log(structuredCloneLike({ a: [1, { b: 2 }], d: 'x' }));
function structuredCloneLike(v) { return v && typeof v === 'object' ? (Array.isArray(v) ? v.map(structuredCloneLike) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, structuredCloneLike(x)]))) : v; }
