// console.log of objects: keys that need quotes, nesting to depth 2,
// class instances, null prototypes, accessors, symbols, circular refs.
console.log({}, { a: 1 }, { 'needs quotes': 1, valid_id: 2, $dollar: 3, '0lead': 4, 123: 5, 'π': 6, '': 7 });
console.log({ a: { b: { c: { d: { e: 1 } } } }, arr: [[[[1]]]], m: [{ x: [{ y: 1 }] }] });
class Foo { constructor() { this.x = 1; } }
class Empty {}
class WithTag { get [Symbol.toStringTag]() { return 'Tagged'; } }
console.log(new Foo(), new Empty(), new WithTag(), [new Foo()], { inner: new Empty() });
const nullProto = Object.create(null);
nullProto.k = 'v';
console.log(nullProto, Object.create(null), Object.create({ inherited: 1 }));
console.log({ get g() { return 1; }, set s(v) {}, get gs() { return 1; }, set gs(v) {} });
const hidden = { visible: 1 };
Object.defineProperty(hidden, 'invisible', { value: 2, enumerable: false });
console.log(hidden, Object.keys(hidden));
const circ = { name: 'root', list: [] };
circ.self = circ;
circ.list.push(circ, { back: circ.list });
console.log(circ);
const a = { name: 'a' };
const b = { name: 'b', a };
a.b = b;
console.log([a, b]);
console.log({ __proto__: null, x: 1 }, { ['__proto__']: 1 });
console.log({ fn() {}, arrow: () => {}, async am() {}, *gen() {}, klass: class {}, named: class Named {} });
console.log({ date: new Date(0), re: /x/g, err: null, nested: { map: new Map([[{ k: 1 }, new Set([[1, 2]])]]) } });
console.log(Object.assign(Object.create({ protoProp: 1 }), { own: 2 }), new (class extends Foo {})());
