// node's line breaking: an entry list stays on one line while it fits in
// 80 columns (entries, separators, indentation and a constant 10) and
// nests at most three levels; otherwise one entry per line.
const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
console.log({ short: 1, list: words });
console.log({ aaaaaaaaaa: 'bbbbbbbbbb', cccccccccc: 'dddddddddd', eeeeeeeeee: 'ffffffffff', g: 1 });
console.log({ aaaaaaaaaa: 'bbbbbbbbbb', cccccccccc: 'dddddddddd', eeeeeeeeee: 'ffffffffff', gg: 12 });
console.log({ aaaaaaaaaa: 'bbbbbbbbbb', cccccccccc: 'dddddddddd', eeeeeeeeee: 'ffffffffff', ggg: 123 });
console.log({ level1: { level2: { level3: 'deep' } } });
console.log({ l1: { l2: { l3: { l4: 'deeper' } } } });
console.log([{ a: 1, b: 2 }, { a: 3, b: 4 }], [[1, [2, [3]]]]);
console.log({ user: { name: 'Ada Lovelace', born: 1815, languages: ['English', 'French'], notes: { analytical: true } } });
console.log({ matrix: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], id: 'identity-matrix-of-size-three' });
console.log({ k: 'a string long enough that the object cannot possibly fit on a single line of output' });
console.log('prefix', { one: 'some text here', two: 'more text', three: 'and even more text' }, 'suffix');
console.log([['nested', 'arrays'], ['with', 'strings'], ['that', 'go'], ['on', 'and'], ['on', '...']]);
console.log({ fn: function namedFunction() {}, cls: class SomeClassName {}, sym: Symbol('a symbol') });
console.log(new Map([['first key', { nested: 'value', other: [1, 2, 3] }], ['second', new Set(['a', 'b'])]]));
console.log({ a: 'line one\nline two is long enough to be split by node into several lines', b: 2 });
const wide = {};
for (let i = 0; i < 30; i++) wide['key' + i] = i;
console.log(wide);
