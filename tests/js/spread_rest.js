// Spread and rest in calls, arrays, objects; arguments vs rest.
const nums = [5, 1, 9, 3];
console.log(Math.max(...nums), Math.min(...nums, -1));
const merged = [...nums, ...'ab', ...new Set([7, 7, 8])];
console.log(merged);
const base = { a: 1, b: 2 };
const over = { ...base, b: 3, c: 4 };
console.log(over, { ...null, ...undefined, ...[7, 8] });
function sum(...xs) { return xs.reduce((s, x) => s + x, 0); }
console.log(sum(), sum(1, 2, 3), sum(...nums));
function f(a, b, ...more) { return [a, b, more.length, arguments.length]; }
console.log(f(1), f(1, 2, 3, 4));
const copy = [...nums];
copy.sort((p, q) => p - q);
console.log(nums, copy);
const obj = { get g() { return 'evaluated'; } };
console.log({ ...obj });
console.log([...Array(3).keys()], [...'𝒳y']);
function defaults(a, b = a * 2, c = b + 1) { return [a, b, c]; }
console.log(defaults(1), defaults(1, 5), f.length, defaults.length, sum.length);
