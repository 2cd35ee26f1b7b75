// console.log of Error objects.  Compared with console_errors.expected,
// not with node: node prints V8's stack ("    at Object.<anonymous>
// (/abs/path/console_errors.js:8:11)" and node's own frames below it),
// while b8g prints QuickJS's ("    at <eval> (/js/console_errors.js:8)",
// the path being the one the script was run by), under the same
// "Name: message" line and with the same layout: extra own properties in
// braces after the stack, nested errors indented.
const e = new TypeError('bad type');
console.log(e);
class MyError extends Error {
  constructor(m) {
    super(m);
    this.name = 'MyError';
    this.code = 42;
  }
}
function thrower() { throw new MyError('custom'); }
try { thrower(); } catch (err) { console.log(err); }
console.log({ nested: new RangeError('nested') });
console.log(String(e), e.message, e.name, Object.keys(new MyError('k')));
