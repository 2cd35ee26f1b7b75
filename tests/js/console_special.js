// console.log of functions, classes, boxed primitives, dates, regexps,
// symbols and other built-in objects.
function named() {}
const anon = (() => () => {})();
class Base {}
class Derived extends Base {}
const anonClass = (() => class {})();
console.log(named, anon, Base, Derived, anonClass, Math.max, named.bind(null));
console.log(async () => {}, async function af() {}, function* gf() {}, async function* agf() {});
named.extra = 'prop';
console.log(named, [named, Derived]);
console.log(new Number(3), new String('str'), new Boolean(false), Object(Symbol('boxed')), Object(10n));
const boxedWithProp = new String('ab');
boxedWithProp.more = 1;
console.log(boxedWithProp, [new Number(-0)]);
console.log(new Date(Date.UTC(2000, 0, 1)), new Date(NaN), [new Date(86400000)]);
console.log(/simple/, /fl[a-z]gs/gimsuy, new RegExp('a/b'), [/in array/]);
console.log(Math, JSON, Reflect, typeof globalThis);
console.log(new Error('x') instanceof Error, typeof Symbol.iterator, Symbol.for('app.key'));
console.log([Symbol.asyncIterator, Symbol.hasInstance], { [Symbol.toPrimitive]: 'value' });
console.log(Object(1n) instanceof BigInt, Object('x').length, Object(true) == true);
console.log((function () { return arguments; })(1, 'two'), (function () { return arguments; })());
console.log([function () {}, class {}, Symbol(''), Object.create(Array.prototype)]);
