// Accessor properties: object literals, classes, defineProperty,
// inheritance, and computing values lazily.
const temp = {
  _c: 25,
  get f() { return this._c * 9 / 5 + 32; },
  set f(v) { this._c = (v - 32) * 5 / 9; },
};
temp.f = 212;
console.log(temp._c, temp.f, Object.getOwnPropertyDescriptor(temp, 'f').set !== undefined);
class Lazy {
  get expensive() {
    console.log('computing once');
    const v = [1, 2, 3].map((x) => x * 10);
    Object.defineProperty(this, 'expensive', { value: v, enumerable: true });
    return v;
  }
}
const l = new Lazy();
console.log(l.expensive, l.expensive, Object.keys(l));
class Base { get who() { return 'base'; } }
class Child extends Base { get who() { return `child of ${super.who}`; } }
console.log(new Child().who);
const readOnly = { get value() { return 42; } };
readOnly.value = 7;
console.log(readOnly.value);
(function () {
  'use strict';
  try { readOnly.value = 7; } catch (e) { console.log('strict assignment to getter-only:', e instanceof TypeError); }
})();
const counter = (() => { let n = 0; return Object.defineProperty({}, 'next', { get: () => ++n, enumerable: false }); })();
console.log(counter.next, counter.next, counter.next, JSON.stringify(counter), counter);
