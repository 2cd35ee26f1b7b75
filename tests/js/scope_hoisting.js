// Hoisting, the temporal dead zone, block scope, shadowing.
console.log(typeof hoistedFn, typeof hoistedVar, hoistedVar, hoistedFn());
var hoistedVar = 'assigned';
function hoistedFn() { return 'function declarations are hoisted'; }
try { console.log(tdz); } catch (e) { console.log('TDZ:', e instanceof ReferenceError); }
let tdz = 1;
{
  let tdz = 'inner';
  const k = 'block const';
  console.log(tdz, k);
}
console.log(tdz, typeof k);
try { const c = 1; c = 2; } catch (e) { console.log('const assignment:', e instanceof TypeError); }
var x = 'global x';
function shadow() {
  console.log(x);
  var x = 'local x';
  return x;
}
console.log(shadow());
const fns = [];
for (var i = 0; i < 3; i++) fns.push(() => i);
for (let j = 0; j < 3; j++) fns.push(() => j);
console.log(fns.map((f) => f()));
function outer() {
  const a = 'outer a';
  function inner() { return a; }
  {
    const a = 'block a';
    return [inner(), a];
  }
}
console.log(outer());
console.log(typeof undeclaredVariable, (() => { try { undeclaredVariable; } catch (e) { return e.name; } })());
switch (1) {
  case 0: { let s = 'zero'; console.log(s); break; }
  case 1: { let s = 'one'; console.log(s); break; }
}
(function () {
  'use strict';
  try { undeclaredAssign = 1; } catch (e) { console.log('strict undeclared assignment:', e instanceof ReferenceError); }
})();
console.log(((a, b = a) => [a, b])(1), (function () { return typeof this; })(), (function () { 'use strict'; return typeof this; })());
