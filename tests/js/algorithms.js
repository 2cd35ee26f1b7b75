// Classic algorithms, as a workload: sieve, sorting, searching, dynamic
// programming, BigInt arithmetic.
function sieve(n) {
  const composite = new Uint8Array(n + 1);
  const primes = [];
  for (let i = 2; i <= n; i++) {
    if (composite[i]) continue;
    primes.push(i);
    for (let j = i * i; j <= n; j += i) composite[j] = 1;
  }
  return primes;
}
const ps = sieve(10000);
console.log(ps.length, ps.slice(-5), ps.reduce((a, b) => a + b));
function quicksort(a) {
  if (a.length < 2) return a;
  const [p, ...rest] = a;
  return [...quicksort(rest.filter((x) => x < p)), p, ...quicksort(rest.filter((x) => x >= p))];
}
function mergesort(a) {
  if (a.length < 2) return a;
  const m = a.length >> 1, l = mergesort(a.slice(0, m)), r = mergesort(a.slice(m)), out = [];
  while (l.length && r.length) out.push(l[0] <= r[0] ? l.shift() : r.shift());
  return out.concat(l, r);
}
const data = Array.from({ length: 500 }, (_, i) => (i * 104729 + 7) % 1000);
const sorted = [...data].sort((x, y) => x - y);
console.log(JSON.stringify(quicksort(data)) === JSON.stringify(sorted), JSON.stringify(mergesort(data)) === JSON.stringify(sorted));
function bsearch(a, x) { let lo = 0, hi = a.length - 1; while (lo <= hi) { const mid = (lo + hi) >> 1; if (a[mid] === x) return mid; if (a[mid] < x) lo = mid + 1; else hi = mid - 1; } return -1; }
console.log(bsearch(ps, 7919), bsearch(ps, 7920), bsearch([], 1));
function lcs(a, b) {
  const dp = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) dp[i][j] = a[i - 1] === b[j - 1] ? dp[i - 1][j - 1] + 1 : Math.max(dp[i - 1][j], dp[i][j - 1]);
  let i = a.length, j = b.length, s = '';
  while (i && j) { if (a[i - 1] === b[j - 1]) { s = a[i - 1] + s; i--; j--; } else if (dp[i - 1][j] >= dp[i][j - 1]) i--; else j--; }
  return s;
}
console.log(lcs('AGGTABQWERTY', 'GXTXAYBWRT'), lcs('', 'abc'));
function fibBig(n) { let a = 0n, b = 1n; for (let i = 0; i < n; i++) [a, b] = [b, a + b]; return a; }
console.log(fibBig(300).toString().length, fibBig(100), fibBig(1000) % 1000000007n);
function permutations(arr) { return arr.length <= 1 ? [arr] : arr.flatMap((x, i) => permutations([...arr.slice(0, i), ...arr.slice(i + 1)]).map((p) => [x, ...p])); }
console.log(permutations([1, 2, 3]).map((p) => p.join('')).join(' '), permutations([1, 2, 3, 4, 5]).length);
function nQueens(n) { let count = 0; const cols = new Set(), d1 = new Set(), d2 = new Set(); (function place(r) { if (r === n) { count++; return; } for (let c = 0; c < n; c++) { if (cols.has(c) || d1.has(r + c) || d2.has(r - c)) continue; cols.add(c); d1.add(r + c); d2.add(r - c); place(r + 1); cols.delete(c); d1.delete(r + c); d2.delete(r - c); } })(0); return count; }
console.log([4, 5, 6, 7, 8].map(nQueens));
let h = 2166136261;
for (const ch of 'hash me please') h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
console.log(h.toString(16));
