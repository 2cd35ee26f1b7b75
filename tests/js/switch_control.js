// Control flow: switch fall-through and strictness, do/while, comma,
// conditional chains, short-circuit evaluation.
function classify(x) {
  switch (x) {
    case 1:
    case 2: return 'small';
    case '1': return 'string one';
    case NaN: return 'never matches NaN';
    case null: return 'null';
    default: return 'other';
    case 3: return 'three (after default)';
  }
}
console.log([1, 2, '1', 3, NaN, null, undefined, 4].map(classify));
const trace = [];
switch (2) {
  case 1: trace.push(1);
  case 2: trace.push(2);
  case 3: trace.push(3); break;
  case 4: trace.push(4);
}
console.log(trace);
let i = 0, evals = [];
do { evals.push(i); } while (++i < 3);
while (i--) if (i === 1) continue; else evals.push(`w${i}`);
console.log(evals, i);
const pick = (n) => (n < 0 ? 'negative' : n === 0 ? 'zero' : n < 10 ? 'digit' : 'large');
console.log([-5, 0, 7, 42].map(pick));
const calls = [];
const f = (v) => (calls.push(v), v);
console.log(f(0) && f(1), f(2) || f(3), f(null) ?? f(4), (f(5), f(6)), calls);
for (let a = 0, b = 10; a < b; a += 3, b -= 3) console.log('pair', a, b);
let count = 0;
for (;;) { if (++count >= 5) break; }
console.log('count', count, [..."abc"].map((c, idx) => idx % 2 ? c.toUpperCase() : c).join(''));
