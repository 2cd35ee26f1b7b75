// ES modules from a subdirectory: named, default, namespace, renamed and
// re-exported bindings, live bindings, read-only imports.
import Vector, { PI2, square, counter, increment } from './modules/math.mjs';
import * as math from './modules/math.mjs';
import { sq, loud, greet, math as reexported } from './modules/strings.mjs';
import { deepGreeting, meta } from './modules/sub/deep.mjs';

console.log(PI2.toFixed(5), square(7), sq(8), loud('hi'), greet('modules'));
console.log(new Vector(3, 4).length(), math.default === Vector, reexported === math);
console.log(counter);
increment();
increment();
console.log(counter, math.counter);
try {
  // eslint-disable-next-line no-import-assign
  counter = 5;
} catch (e) {
  console.log('assigning an import:', e instanceof TypeError);
}
console.log(Object.keys(math).sort(), deepGreeting, meta);
console.log(typeof this, Object.prototype.toString.call(math));
