// Proxy traps and the Reflect API.
const log = [];
const target = { a: 1, b: 2 };
const handler = {
  get(t, k, r) { log.push(`get ${String(k)}`); return k in t ? Reflect.get(t, k, r) : `<${String(k)}>`; },
  set(t, k, v, r) { log.push(`set ${String(k)}=${v}`); return Reflect.set(t, k, v * 2, r); },
  has(t, k) { log.push(`has ${String(k)}`); return k.startsWith('_') ? false : Reflect.has(t, k); },
  deleteProperty(t, k) { log.push(`delete ${String(k)}`); return Reflect.deleteProperty(t, k); },
  ownKeys(t) { log.push('ownKeys'); return Reflect.ownKeys(t).filter((k) => k !== 'b'); },
  getOwnPropertyDescriptor(t, k) { return Reflect.getOwnPropertyDescriptor(t, k); },
};
const p = new Proxy(target, handler);
console.log(p.a, p.missing);
p.c = 21;
console.log('c' in p, '_x' in p, Object.keys(p), target.c);
delete p.a;
console.log(JSON.stringify(target));
console.log(log.join('; '));

const fnProxy = new Proxy(function add(x, y) { return x + y; }, {
  apply(t, thisArg, args) { return t(...args) * 10; },
  construct(t, args) { return { constructedWith: args }; },
});
console.log(fnProxy(1, 2), new fnProxy('q'));

const { proxy, revoke } = Proxy.revocable({}, {});
proxy.x = 1;
revoke();
try { proxy.x; } catch (e) { console.log('revoked:', e instanceof TypeError); }

const validator = new Proxy({}, {
  set(t, k, v) {
    if (typeof v !== 'number') throw new TypeError(`${k} must be a number`);
    t[k] = v;
    return true;
  },
});
validator.age = 30;
try { validator.age = 'old'; } catch (e) { console.log(e.message); }

console.log(Reflect.ownKeys({ z: 1, [Symbol('s')]: 2, 1: 3 }).map(String));
console.log(Reflect.apply(Math.max, null, [1, 5, 2]), Reflect.construct(Date, [0]).getTime());
const o = {};
console.log(Reflect.defineProperty(o, 'fixed', { value: 1 }), Reflect.set(o, 'fixed', 2), o.fixed);
console.log(Reflect.getPrototypeOf([]) === Array.prototype, Reflect.isExtensible(Object.freeze({})));
class Base { constructor() { this.made = new.target.name; } }
class Derived extends Base {}
console.log(Reflect.construct(Base, [], Derived).made);
const negIdx = new Proxy([10, 20, 30], { get: (t, k, r) => Reflect.get(t, typeof k === 'string' && k < 0 ? t.length + +k : k, r) });
console.log(negIdx[-1], negIdx[0], negIdx.length);
