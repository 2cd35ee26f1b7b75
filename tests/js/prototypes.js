// Prototype chains: Object.create, setPrototypeOf, property lookup and
// shadowing, constructors, instanceof.
const animal = { kind: 'animal', describe() { return `${this.name} is a ${this.kind}`; } };
const dog = Object.create(animal);
dog.name = 'Rex';
dog.kind = 'dog';
const cat = Object.create(animal, { name: { value: 'Tom', enumerable: true } });
console.log(dog.describe(), cat.describe(), Object.keys(cat), 'kind' in cat, cat.hasOwnProperty('kind'));
const chain = [];
for (let o = dog; o; o = Object.getPrototypeOf(o)) chain.push(o === Object.prototype ? 'Object.prototype' : Object.keys(o).join(','));
console.log(chain);
function Shape(sides) { this.sides = sides; }
Shape.prototype.describe = function () { return `${this.constructor.name} with ${this.sides} sides`; };
function Square() { Shape.call(this, 4); }
Square.prototype = Object.create(Shape.prototype);
Square.prototype.constructor = Square;
const sq = new Square();
console.log(sq.describe(), sq instanceof Square, sq instanceof Shape, Shape.prototype.isPrototypeOf(sq));
console.log(sq, Object.getPrototypeOf(Object.getPrototypeOf(sq)) === Shape.prototype);
const base = { greet() { return 'base'; } };
const mid = { __proto__: base, greet() { return 'mid>' + super.greet(); } };
const leaf = { __proto__: mid, greet() { return 'leaf>' + super.greet(); } };
console.log(leaf.greet());
const swapped = { v: 1 };
Object.setPrototypeOf(swapped, { extra: 'from new proto' });
console.log(swapped.extra, Object.getPrototypeOf([]) === Array.prototype, Object.getPrototypeOf(Object.prototype));
Array.prototype.sumAll = function () { return this.reduce((a, b) => a + b, 0); };
console.log([1, 2, 3].sumAll());
delete Array.prototype.sumAll;
console.log(typeof [].sumAll, typeof Object.create(null).toString, String(Object.create(Array.prototype).length));
