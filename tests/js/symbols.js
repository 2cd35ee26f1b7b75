// Symbols: registry, well-known symbols customising built-in behaviour.
const s1 = Symbol('id');
const s2 = Symbol('id');
console.log(s1 === s2, s1.toString(), s1.description, Symbol.for('k') === Symbol.for('k'), Symbol.keyFor(Symbol.for('k')), Symbol.keyFor(s1));
const money = {
  amount: 42,
  [Symbol.toPrimitive](hint) { return hint === 'number' ? this.amount : hint === 'string' ? `$${this.amount}` : 'default'; },
};
console.log(+money, `${money}`, money + '', money * 2);
class Even { static [Symbol.hasInstance](n) { return n % 2 === 0; } }
console.log(2 instanceof Even, 3 instanceof Even);
class Tagged { get [Symbol.toStringTag]() { return 'MyTag'; } }
console.log(Object.prototype.toString.call(new Tagged()), String(new Tagged()));
const spreadable = { length: 2, 0: 'a', 1: 'b', [Symbol.isConcatSpreadable]: true };
console.log([1].concat(spreadable), [1].concat([2, 3]));
class MyArray extends Array { static get [Symbol.species]() { return Array; } }
const ma = MyArray.from([1, 2, 3]);
console.log(ma instanceof MyArray, ma.map((x) => x) instanceof MyArray);
const matcher = { [Symbol.match](s) { return s.length > 3 ? ['long'] : null; }, [Symbol.replace](s, r) { return `${r}:${s}`; } };
console.log('hello'.match(matcher), 'hi'.match(matcher), 'x'.replace(matcher, 'R'));
const obj = { [s1]: 'symbol-keyed', regular: 1 };
console.log(Object.keys(obj), Object.getOwnPropertySymbols(obj).length, JSON.stringify(obj), obj[s1]);
console.log(typeof Symbol(), typeof Symbol.iterator, Symbol.iterator.toString(), Symbol().description, Symbol('').description);
try { Symbol() + 1; } catch (e) { console.log('symbol arithmetic:', e instanceof TypeError); }
try { new Symbol(); } catch (e) { console.log('new Symbol:', e instanceof TypeError); }
const unscopables = Array.prototype[Symbol.unscopables];
console.log(Object.getPrototypeOf(unscopables), unscopables.flat, 'includes' in unscopables);
