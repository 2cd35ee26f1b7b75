// Map and Set: insertion order, key identity, NaN and -0, iteration.
const m = new Map();
const objKey = { id: 1 };
m.set('s', 1).set(1, 'number one').set('1', 'string one').set(objKey, 'object').set(NaN, 'nan');
console.log(m.size, m.get(1), m.get('1'), m.get({ id: 1 }), m.get(objKey), m.get(NaN));
m.set(-0, 'zero');
console.log(m.get(0), m.has(+0));
m.delete('s');
console.log([...m.keys()]);
console.log(m);
const s = new Set([3, 1, 3, 2, 1]);
s.add(4).add(1);
console.log(s, s.size, s.has(2), [...s].sort());
const union = (a, b) => new Set([...a, ...b]);
const inter = (a, b) => new Set([...a].filter((x) => b.has(x)));
const diff = (a, b) => new Set([...a].filter((x) => !b.has(x)));
const A = new Set([1, 2, 3, 4]);
const B = new Set([3, 4, 5]);
console.log(union(A, B), inter(A, B), diff(A, B));
const order = [];
const live = new Set([1, 2, 3]);
for (const v of live) {
  order.push(v);
  if (v === 1) { live.delete(2); live.add(4); }
}
console.log(order);
const grouped = new Map();
for (const w of 'the quick brown fox jumps over the lazy dog'.split(' ')) {
  const k = w.length;
  grouped.set(k, [...(grouped.get(k) || []), w]);
}
console.log(grouped);
console.log(new Map([[{ a: 1 }, [1, 2]], ['nested', new Map([['x', new Set(['y'])]])]]));
console.log(new Map(), new Set(), new Map(Object.entries({ a: 1, b: 2 })));
m.clear();
console.log(m.size, [...new Set('mississippi')].join(''));
