// Bitwise operators on 32-bit integers, shifts, and bit tricks.
console.log(5 & 3, 5 | 3, 5 ^ 3, ~5, ~-1, 1 << 31, 1 << 32, -16 >> 2, -16 >>> 28, 2 ** 32 | 0, 0xffffffff & 0xff);
const popcount = (n) => { let c = 0; for (n >>>= 0; n; n &= n - 1) c++; return c; };
console.log([0, 1, 7, 255, -1, 0x55555555].map(popcount));
const toBin = (n) => (n >>> 0).toString(2).padStart(32, '0');
console.log(toBin(-2), toBin(1 << 31), toBin(0x0f0f0f0f ^ -1));
const isPow2 = (n) => n > 0 && (n & (n - 1)) === 0;
console.log([1, 2, 3, 64, 96, 1024].map(isPow2), Math.clz32(0), Math.clz32(-1), 31 - Math.clz32(1000));
let flags = 0;
const READ = 1, WRITE = 2, EXEC = 4;
flags |= READ | EXEC;
flags &= ~EXEC;
console.log(flags, !!(flags & READ), !!(flags & EXEC), flags ^ WRITE);
const swap = (a, b) => { a ^= b; b ^= a; a ^= b; return [a, b]; };
console.log(swap(12, 34), (7.9 | 0), (-7.9 | 0), (2 ** 31 + 1) | 0, NaN | 0, Infinity | 0, '12' | 0, [] | 0);
const rgb = 0x336699;
console.log((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255, ((51 << 16) | (102 << 8) | 153).toString(16));
console.log(Math.imul(123456789, 987654321), (123456789 * 987654321) | 0, 0x7fffffff + 1 | 0, -(2 ** 31) - 1 | 0);
