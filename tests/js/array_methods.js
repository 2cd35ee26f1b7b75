// Array methods: iteration, searching, transformation, mutation.
const xs = [5, 3, 8, 1, 9, 2];
console.log(xs.map((x) => x * 2), xs.filter((x) => x % 2), xs.reduce((a, b) => a + b), xs.reduceRight((a, b) => a + '-' + b));
console.log(xs.find((x) => x > 5), xs.findIndex((x) => x > 5), xs.indexOf(9), xs.includes(NaN), [NaN].includes(NaN), [NaN].indexOf(NaN));
console.log(xs.some((x) => x > 8), xs.every((x) => x > 0), xs.join(), xs.join(''), [null, undefined, 1].join('-'));
console.log([[1, [2]], [3]].flat(), [[1, [2, [3, [4]]]]].flat(Infinity), xs.flatMap((x) => (x > 5 ? [x, x] : [])));
const ys = xs.slice();
console.log(ys.splice(1, 2, 'a', 'b', 'c'), ys, ys.reverse(), ys.fill(0, 2, 4), ys.copyWithin(0, 4));
console.log(Array.of(7), Array(3).fill().map((_, i) => i), Array.from({ length: 3 }, (_, i) => i ** 2), Array.isArray([]));
console.log([3, 1, 2].sort(), [10, 9, 1, 100].sort(), [10, 9, 1, 100].sort((a, b) => a - b), ['b', 'a', 'C'].sort());
const stack = [];
stack.push(1, 2, 3);
console.log(stack.pop(), stack.shift(), stack.unshift(0, 0.5), stack, stack.length);
const arr = [1, 2, 3];
arr.length = 1;
console.log(arr, arr.concat([2, [3]], 4), [].concat.apply([], [[1], [2]]));
const sparse = [1, , 3];
console.log(sparse.map((x) => x * 2), sparse.filter(() => true), Object.keys(sparse), 1 in sparse, sparse.length);
const people = [{ n: 'a', age: 30 }, { n: 'b', age: 25 }, { n: 'c', age: 30 }, { n: 'd', age: 25 }];
const byAge = people.reduce((acc, p) => ((acc[p.age] ||= []).push(p.n), acc), {});
console.log(byAge, [...people].sort((p, q) => p.age - q.age).map((p) => p.n).join(''));
console.log([1, 2, 3].entries().next(), [...[1, 2].keys()], Array.prototype.slice.call('abc'), Array.from(new Map([[1, 2]])));
console.log([0, 1, 2].map(String), ['1', '2', '3'].map(Number), ['1', '2', '3'].map(parseInt), [1, [2, [3]]].toString());
console.log([3, 2, 1].lastIndexOf(1), [1, 2, 3].findIndex((x) => x > 5), [].reduce((a, b) => a + b, 'init'));
try { [].reduce((a, b) => a + b); } catch (e) { console.log('empty reduce:', e instanceof TypeError); }
