// Inheritance: super calls, overriding, extending built-ins.
class Animal {
  constructor(name) { this.name = name; }
  speak() { return `${this.name} makes a sound`; }
  static create(name) { return new this(name); }
}
class Dog extends Animal {
  constructor(name, breed) {
    super(name);
    this.breed = breed;
  }
  speak() { return `${super.speak()}, then barks`; }
}
class Puppy extends Dog {
  speak() { return super.speak().toUpperCase(); }
}
const d = new Dog('Rex', 'lab');
const p = Puppy.create('Bit');
console.log(d.speak());
console.log(p.speak(), p instanceof Dog, p instanceof Animal);
console.log(d, p);
console.log(Object.getPrototypeOf(Puppy) === Dog, Puppy.__proto__.__proto__ === Animal);

class Stack extends Array {
  peek() { return this[this.length - 1]; }
}
const s = new Stack();
s.push(1, 2, 3);
console.log(s.peek(), s.length, Array.isArray(s), s instanceof Stack);
const mapped = s.map((x) => x * 2);
console.log(mapped instanceof Stack, mapped.peek());

class ValidationError extends Error {
  constructor(field) {
    super(`invalid ${field}`);
    this.name = 'ValidationError';
    this.field = field;
  }
}
try {
  throw new ValidationError('email');
} catch (e) {
  console.log(e.name, e.message, e.field, e instanceof ValidationError, e instanceof Error);
  console.log(String(e));
}

class Counter extends Map {
  add(k) { this.set(k, (this.get(k) || 0) + 1); return this; }
}
const c = new Counter();
c.add('a').add('b').add('a');
console.log([...c], c.size);

function Legacy(v) { this.v = v; }
Legacy.prototype.get = function () { return this.v; };
class Modern extends Legacy {
  get() { return super.get() * 10; }
}
console.log(new Modern(4).get());
