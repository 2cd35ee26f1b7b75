// JSON: stringify options, toJSON, replacer arrays and functions, parse
// with reviver, escapes, round trips and errors.
const data = {
  name: 'Ünïcödé ✓ "quoted" \\ back',
  n: [1, -0, 1.5e300, 1e-7, NaN, Infinity],
  nested: { deep: { deeper: [true, false, null] } },
  skip: undefined,
  fn() {},
  date: new Date(Date.UTC(2020, 1, 29, 12, 0, 0)),
  sym: Symbol('s'),
  ctrl: '\u0001\n\t\u2028',
};
const text = JSON.stringify(data);
console.log(text);
console.log(JSON.stringify(data, null, 2));
console.log(JSON.stringify(data, ['name', 'nested', 'deep'], '--'));
console.log(JSON.stringify(data.n, (k, v) => (typeof v === 'number' && v > 1 ? String(v) : v)));
const back = JSON.parse(text, (k, v) => (k === 'date' ? new Date(v) : v));
console.log(back.date.getUTCFullYear(), back.name === data.name, back.n, back.ctrl === data.ctrl);
class Money {
  constructor(c) { this.cents = c; }
  toJSON(key) { return `${key || 'root'}:${(this.cents / 100).toFixed(2)}`; }
}
console.log(JSON.stringify({ price: new Money(1999), list: [new Money(5)] }), JSON.stringify(new Money(1)));
console.log(JSON.stringify('\ud800'), JSON.stringify('\ud83d\ude00'), JSON.stringify({ [Symbol('x')]: 1, a: [undefined, () => 1] }));
for (const bad of ['{a:1}', "{'a':1}", '[1,]', '', '01', '"\t"', '{"a":1}x']) {
  try { JSON.parse(bad); console.log('parsed', bad); } catch (e) { console.log('SyntaxError?', e instanceof SyntaxError, JSON.stringify(bad)); }
}
const circ = { a: 1 };
circ.self = circ;
try { JSON.stringify(circ); } catch (e) { console.log('circular:', e instanceof TypeError); }
const round = { s: 'x', arr: [1, [2, [3, [4]]]], o: { 'key with space': 1, '': 2 }, big: 2 ** 53, neg: -1e-300 };
console.log(JSON.stringify(JSON.parse(JSON.stringify(round))) === JSON.stringify(round), JSON.parse(JSON.stringify(round)));
console.log(JSON.stringify([new Int8Array([1, 2]), new Map([[1, 2]]), new Set([1])]), JSON.stringify(null), JSON.stringify(undefined));
console.log(JSON.parse('{"__proto__": {"x": 1}}').__proto__, JSON.parse(' [1e3, -0.5, 0] '), JSON.stringify({ a: 1, b: [1, 2] }, null, 20).length);
