// Classes: fields, static members, accessors, methods, instanceof.
class Point {
  x = 0;
  y = 0;
  static count = 0;
  constructor(x, y) {
    this.x = x;
    this.y = y;
    Point.count++;
  }
  get length() {
    return Math.sqrt(this.x * this.x + this.y * this.y);
  }
  set length(v) {
    const k = v / this.length;
    this.x *= k;
    this.y *= k;
  }
  add(other) {
    return new Point(this.x + other.x, this.y + other.y);
  }
  toString() {
    return `(${this.x}, ${this.y})`;
  }
  static origin() {
    return new Point(0, 0);
  }
}

const a = new Point(3, 4);
const b = new Point(1, 2);
console.log(a.length, String(a.add(b)), `${Point.origin()}`);
a.length = 10;
console.log(a.x, a.y, Point.count);
console.log(a instanceof Point, Object.getPrototypeOf(a) === Point.prototype);
console.log(typeof Point, Point.name, Point.length);
console.log(Object.getOwnPropertyNames(Point.prototype));
console.log(a, b);
console.log(Object.keys(a), JSON.stringify(a));

class Temperature {
  #celsius;
  constructor(c) { this.#celsius = c; }
  get fahrenheit() { return this.#celsius * 9 / 5 + 32; }
  static fromFahrenheit(f) { return new Temperature((f - 32) * 5 / 9); }
  #describe() { return `${this.#celsius.toFixed(1)}C`; }
  describe() { return this.#describe(); }
}
const t = Temperature.fromFahrenheit(212);
console.log(t.fahrenheit, t.describe(), Object.keys(t).length);
try {
  Point();
} catch (e) {
  console.log('calling a class:', e instanceof TypeError);
}
const Anon = class {};
console.log(Anon.name, new Anon());
