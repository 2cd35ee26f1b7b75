// console.log of Map, Set, typed arrays, ArrayBuffer, DataView and weak
// collections.
console.log(new Map([['a', 1], ['b', { c: [1, 2] }]]), new Set(['x', 1, null, undefined, [2]]));
console.log(new Map([[new Map([[1, 2]]), new Set([new Set([3])])]]));
console.log(new Set(Array.from({ length: 30 }, (_, i) => i)));
console.log(new Map(Array.from({ length: 12 }, (_, i) => [i, String.fromCharCode(97 + i)])));
const m = new Map([[1, 2]]);
m.extra = 'prop';
console.log(m, [new Map(), new Set()], { m: new Map([[{}, []]]) });
console.log(new Uint8Array([1, 2, 3]), new Float64Array([1.5, -0, NaN]), new BigUint64Array([1n, 2n]));
console.log(new Int32Array(10).fill(-7), new Uint16Array(0), [new Int8Array([1, -1])]);
console.log(new Uint8Array(Array.from({ length: 40 }, (_, i) => i * 6)));
console.log(new ArrayBuffer(4), new Uint8Array([255, 16, 1]).buffer, new ArrayBuffer(0));
console.log(new DataView(new ArrayBuffer(3), 1));
console.log(new WeakMap(), new WeakSet([{}]), [new WeakMap()]);
class MyMap extends Map {}
class MySet extends Set {}
class Bytes extends Uint8Array {}
console.log(new MyMap([[1, 1]]), new MySet(), new Bytes(2), new (class Items extends Array {})(3));
console.log(new Map([[NaN, -0], [-0, NaN]]), new Set([0, -0, NaN, NaN]));
