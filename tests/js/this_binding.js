// this: methods, detached calls, call/apply/bind, arrows, classes.
'use strict';
const obj = {
  name: 'obj',
  regular() { return this?.name; },
  arrow: () => typeof this,
  nested() { return [1].map(() => this.name)[0]; },
  delayed() { return function () { return this; }(); },
};
console.log(obj.regular(), obj.arrow(), obj.nested(), obj.delayed());
const detached = obj.regular;
console.log(detached(), detached.call({ name: 'called' }), detached.apply({ name: 'applied' }, []));
const bound = detached.bind({ name: 'bound' });
console.log(bound(), bound.call({ name: 'ignored' }), bound.name, new (function F() { this.v = 1; }.bind(null))().v);
function Person(name) { this.name = name; }
Person.prototype.hello = function () { return `I am ${this.name}`; };
const p = new Person('P');
console.log(p.hello(), Person.prototype.hello.call({ name: 'borrowed' }));
class Button {
  constructor(label) { this.label = label; this.onClickArrow = () => this.label; }
  onClick() { return this?.label; }
}
const b = new Button('OK');
const { onClick, onClickArrow } = b;
console.log(onClick(), onClickArrow(), b.onClick());
function partial(fn, ...preset) { return function (...later) { return fn.apply(this, [...preset, ...later]); }; }
const add3 = (a, b, c) => a + b + c;
console.log(partial(add3, 1, 2)(3), Math.max.apply(null, [3, 9, 4]), Array.prototype.map.call('ab', (c) => c + c));
console.log(typeof globalThis, (() => this)() === undefined ? 'undefined' : 'module object');
