// Destructuring: arrays, objects, defaults, rest, nesting, parameters.
const [a, , b = 5, ...rest] = [1, 2, undefined, 4, 5, 6];
console.log(a, b, rest);
const { x, y: why = 'default', z: { deep } = { deep: 'fallback' }, ...others } = { x: 1, q: 2, r: 3 };
console.log(x, why, deep, others);
let m = 1, n = 2;
[m, n] = [n, m];
console.log(m, n);
const { length, 0: first, [length - 1]: last } = 'hello';
console.log(length, first, last);
function area({ w = 1, h = w * 2 } = {}) { return w * h; }
console.log(area(), area({ w: 3 }), area({ w: 2, h: 5 }));
function tail([head, ...tail]) { return { head, tail }; }
console.log(tail([9, 8, 7]));
const people = [{ name: 'Ann', tags: ['a', 'b'] }, { name: 'Bob', tags: [] }];
for (const { name, tags: [firstTag = 'none'] } of people) console.log(name, firstTag);
const map = new Map([['k1', 1], ['k2', 2]]);
for (const [k, v] of map) console.log(k, v);
const key = 'dyn';
const { [key]: dynamic } = { dyn: 'computed' };
console.log(dynamic);
const [p = 1, q = p + 1] = [];
console.log(p, q);
try {
  const { nope } = null;
  console.log(nope);
} catch (e) {
  console.log('null destructure:', e instanceof TypeError);
}
const nested = { a: [{ b: { c: [10, 20, 30] } }] };
const { a: [{ b: { c: [, second] } }] } = nested;
console.log(second);
