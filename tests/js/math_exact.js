// Math functions whose results are exact (correctly rounded everywhere),
// and transcendental ones printed to a precision both engines agree on.
console.log(Math.floor(-1.5), Math.ceil(-1.5), Math.round(-1.5), Math.round(2.5), Math.round(-0.4), Math.trunc(-4.7), Math.sign(-3));
console.log(Math.abs(-0), Math.max(), Math.min(), Math.max(1, NaN), Math.max(-0, 0), Math.min(0, -0));
console.log(Math.sqrt(2), Math.sqrt(1e-300), Math.fround(5.5), Math.fround(5.05), Math.clz32(1), Math.imul(0xffffffff, 5));
console.log(Math.hypot(3, 4), Math.hypot(), 2 ** 10, 2 ** -1, (-8) ** (1 / 3), 0.1 * 3, 9007199254740993 + 2);
const six = (x) => x.toFixed(6);
console.log([Math.sin(1), Math.cos(1), Math.tan(1), Math.atan2(1, 2), Math.exp(1), Math.log(10), Math.log2(8), Math.log10(1000)].map(six));
console.log([Math.sinh(1), Math.cosh(1), Math.tanh(0.5), Math.asinh(1), Math.acosh(2), Math.atanh(0.5), Math.cbrt(27), Math.expm1(1e-10), Math.log1p(1e-10)].map((x) => x.toPrecision(8)));
console.log(Math.PI, Math.E, Math.LN2, Math.SQRT2, Math.LOG10E);
console.log(5 % 3, -5 % 3, 5 % -3, 5.5 % 2, -0 % 1, 1 / (-0 % 1), 2 ** 53 % 3);
console.log(0.1 + 0.2 === 0.3, Math.abs(0.3 - (0.1 + 0.2)) < Number.EPSILON, 1 / 3 * 3 === 1);
console.log(7 / 2 | 0, -7 / 2 | 0, ~~-3.7, 3.7 >> 0, 2 ** 32 >> 0, 2 ** 31 | 0, (2 ** 32 + 5) >>> 0, -1 >>> 0);
let seed = 42;
const lcg = () => (seed = (seed * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32;
console.log(Array.from({ length: 5 }, () => Math.floor(lcg() * 100)));
const r = Math.random();
console.log(typeof r, r >= 0 && r < 1, new Set(Array.from({ length: 100 }, Math.random)).size > 90);
