// The arguments object, default and rest parameters, function length
// and name.
function sloppy(a, b) {
  arguments[0] = 'changed via arguments';
  b = 'changed via parameter';
  return [a, arguments[1], arguments.length, Array.isArray(arguments), typeof arguments];
}
function strict(a, b) {
  'use strict';
  arguments[0] = 'changed via arguments';
  b = 'changed via parameter';
  return [a, arguments[1], arguments.length];
}
console.log(sloppy(1, 2), strict(1, 2), sloppy(1));
function variadic() { return Array.prototype.slice.call(arguments, 1).map((x) => x * 2); }
console.log(variadic(0, 1, 2, 3), Array.from((function () { return arguments; })('a', 'b')));
function withDefaults(a, b = 2, ...rest) { return { a, b, rest, len: arguments.length }; }
console.log(withDefaults(), withDefaults(1, undefined, 3, 4), withDefaults.length, ((...all) => all.length).length);
const named = function inner() { return typeof inner; };
console.log(named(), named.name, (() => {}).name, (function () {}).name, ({ m() {} }).m.name, ({ get g() { return 1; } }) && 'ok');
const o = { ['computed' + 1]() {}, [Symbol('sym')]: function () {} };
console.log(Object.values(o).map((f) => f.name), Object.getOwnPropertySymbols(o).map((s) => o[s].name));
class K { static s() {} #p() {} get acc() { return 1; } }
console.log(K.s.name, Object.getOwnPropertyDescriptor(K.prototype, 'acc').get.name, K.name, new Function('a', 'b', 'return a + b')(2, 3));
function counter() { return arguments.callee === counter; }
console.log(counter(), (function () { 'use strict'; try { return arguments.callee; } catch (e) { return e instanceof TypeError; } })());
