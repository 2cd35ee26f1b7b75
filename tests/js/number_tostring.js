// Number to string: the shortest round-tripping decimal, where exponent
// notation starts, and numbers that are not exactly representable.
const xs = [0.1, 0.2, 0.1 + 0.2, 0.3, 1 / 3, 2 / 3, 100, 1e20, 1e21, 1e-6, 1e-7, 1.5e-7,
  Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON,
  -1e-323, 4.35, 0.000001, 1234567.1, 9007199254740993, 0.1 * 3, 1.1 * 1.1, 5e-324 * 3, 2 ** -1074, 2 ** 1023];
for (const x of xs) console.log(x, String(x), `${x}`, x + '', JSON.stringify(x));
console.log(xs.map((x) => Number(String(x)) === x).every(Boolean));
console.log([1e21, 1e-7, -0, 0.5], { a: -0, b: 1e300 * 1e10, c: -Infinity });
console.log(0.1 + 0.7, 3 * 1.1, 100 / 3, 2 ** 0.5, Math.sqrt(2), 7 / 100, 1e16 + 1, 0.57 * 100);
console.log(Number.parseFloat('1e-400'), Number.parseFloat('-1e400'), 1 / -0, -0 === 0, Object.is(-0, 0));
console.log((1234.5).toString(), (-1e-7).toString(), (1e21 + 1).toString(), (2 ** 31).toString(), (-(2 ** 31) - 1).toString());
let acc = 0;
for (let i = 0; i < 10; i++) acc += 0.1;
console.log(acc, acc === 1, Math.abs(acc - 1) < Number.EPSILON);
console.log(Number.isInteger(5.0), Number.isSafeInteger(2 ** 53), Number.isInteger(1e300), (25).toString(2).padStart(8, '0'));
// Formatting only: QuickJS parses integer strings of more than 19 digits
// inexactly, so "123456789012345680000" does not read back as this value.
console.log(1.2345678901234568e20, 9.87654321e25, -1.2345678901234567e20);
