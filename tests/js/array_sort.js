// Sorting: default string order, comparators, stability, undefined and
// holes, sorting objects by several keys.
console.log([10, 9, 100, 1, 25].sort(), [10, 9, 100, 1, 25].sort((a, b) => a - b), [3, 1, 2].sort((a, b) => b - a));
console.log(['b', 'B', 'a', 'A', '_', '1'].sort(), [true, false, true].sort(), [-1, -10, 2].sort());
console.log([3, undefined, 1, , 2].sort(), [undefined, 3, null, 1].sort((a, b) => a - b));
const people = [
  { name: 'Eve', dept: 'ops', age: 31 }, { name: 'Bob', dept: 'dev', age: 25 }, { name: 'Amy', dept: 'dev', age: 31 },
  { name: 'Dan', dept: 'ops', age: 25 }, { name: 'Cid', dept: 'dev', age: 25 }, { name: 'Fay', dept: 'ops', age: 40 },
];
const byAge = [...people].sort((a, b) => a.age - b.age);
console.log(byAge.map((p) => p.name).join(' '));
const multi = [...people].sort((a, b) => a.dept.localeCompare === undefined ? 0 : (a.dept < b.dept ? -1 : a.dept > b.dept ? 1 : b.age - a.age || (a.name < b.name ? -1 : 1)));
console.log(multi.map((p) => `${p.dept}:${p.age}:${p.name}`).join(' '));
const stable = Array.from({ length: 50 }, (_, i) => ({ k: i % 3, i }));
stable.sort((a, b) => a.k - b.k);
console.log(stable.every((x, j, arr) => j === 0 || arr[j - 1].k < x.k || arr[j - 1].i < x.i));
let comparisons = 0;
const big = Array.from({ length: 200 }, (_, i) => (i * 7919) % 200);
big.sort((a, b) => { comparisons++; return a - b; });
console.log(big.slice(0, 10), big.slice(-3), big.every((x, i) => x === i), comparisons > 0);
const words = 'the quick brown fox jumps over the lazy dog'.split(' ');
console.log(words.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)));
console.log([0.1, -0, 0, -0.1, NaN, Infinity].sort((a, b) => a - b), ['10', '9', '1e1'].sort());
const objs = [{ v: 2 }, { v: 1 }];
console.log(objs.sort((a, b) => a.v - b.v) === objs, objs);
