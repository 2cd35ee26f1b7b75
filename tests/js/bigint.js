// BigInt: arithmetic, division semantics, bit operations, asIntN,
// conversions, comparisons, and mixing errors.
const a = 2n ** 100n;
const b = -(3n ** 50n);
console.log(a, b, a + b, a * b, a / 7n, a % 7n, b / 7n, b % 7n);
console.log(-7n / 2n, -7n % 2n, 7n / -2n, (-7n) ** 3n);
console.log(a.toString(16), b.toString(2).length, (255n).toString(36), BigInt('0x1fffffffffffff') + 2n);
console.log(BigInt.asIntN(8, 255n), BigInt.asUintN(8, -1n), BigInt.asIntN(64, 2n ** 63n), BigInt.asUintN(64, -1n));
console.log(5n & 3n, 5n | 3n, 5n ^ 3n, ~5n, 1n << 70n, -(2n ** 70n) >> 3n);
console.log(1n < 2, 2n == 2, 2n === 2, 3n > 2.5, 10n > 9.999999, typeof 1n, 0n ? 'truthy' : 'falsy');
console.log([3n, -1n, 2, 0n, 1.5].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
console.log(BigInt(Number.MAX_SAFE_INTEGER) * 2n, Number(2n ** 64n), parseInt('123n'), BigInt(true));
for (const f of [() => 1n + 1, () => BigInt(1.5), () => BigInt('x'), () => Math.max(1n), () => 1n / 0n, () => +1n]) {
  try { console.log('no error', f()); } catch (e) { console.log(e.name); }
}
function factorial(n) { let r = 1n; for (let i = 2n; i <= n; i++) r *= i; return r; }
console.log(factorial(30n), String(factorial(50n)).length);
const gcd = (x, y) => (y === 0n ? x : gcd(y, x % y));
console.log(gcd(2n ** 64n, 6n ** 20n), JSON.stringify({ v: String(12n) }), `${-0n}`, Object(5n));
console.log([1n, 22n, 333n], { big: 12345678901234567890n }, new Map([[1n, 2n]]));
