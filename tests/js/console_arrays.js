// console.log of arrays: node's grouping of more than six entries into
// aligned columns, holes, extra properties, long arrays.
console.log([1, 2, 3, 4, 5, 6]);
console.log([1, 2, 3, 4, 5, 6, 7]);
console.log(Array.from({ length: 26 }, (_, i) => i * i));
console.log(Array.from({ length: 30 }, (_, i) => (i % 2 ? -i * 1000 : i)));
console.log(Array.from({ length: 12 }, (_, i) => 'item' + i));
console.log(Array.from({ length: 10 }, (_, i) => 'x'.repeat(i)));
console.log(['a', 1, 'bb', 22, 'ccc', 333, 'dddd', 4444]);
console.log(Array.from({ length: 101 }, (_, i) => i));
console.log(Array.from({ length: 150 }, (_, i) => i % 7));
console.log([1, , 3, , , 6], new Array(5), [, 'a'], [undefined, , null]);
const extra = [1, 2, 3];
extra.label = 'tagged';
extra[-1] = 'negative';
console.log(extra, [], [[]], [{}], [[], [[]]]);
console.log([[1, 2, [3, 4, [5, [6]]]], { a: [1, { b: [2, { c: 3 }] }] }]);
console.log(Array.from({ length: 8 }, (_, i) => ({ id: i })));
console.log(Array.from({ length: 7 }, (_, i) => [i, i * 2]));
console.log([1.5, -2.25, 3, 1e21, -1e-7, 0.1, 100, 7, 8, 9, 10]);
console.log([true, false, null, undefined, true, false, null, undefined]);
console.log([1n, 22n, 333n, 4444n, 55555n, 666666n, 7777777n]);
console.log(['a much longer string entry here', 'short', 'x', 'another long-ish string', 'y', 'z', 'end']);
