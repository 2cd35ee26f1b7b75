// hello.js - JavaScript in the sandbox: `b8g js examples/hello.js NAME`
// runs it with QuickJS (examples/demo.sh).  It sees its arguments in
// scriptArgs and, of the file system, only its own directory, read-only.
const name = scriptArgs[1] || 'world';

function primesBelow(n) {
  const composite = new Uint8Array(n);
  const primes = [];
  for (let i = 2; i < n; i++) {
    if (composite[i]) continue;
    primes.push(i);
    for (let j = i * i; j < n; j += i) composite[j] = 1;
  }
  return primes;
}

function fib(n) {
  let [a, b] = [0n, 1n];
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}

console.log(`hello, ${name}, from QuickJS in the b8g sandbox`);
console.log('primes below 50:', primesBelow(50).join(' '));
console.log(`fib(100) = ${fib(100)}`);
console.log({ primesBelowAMillion: primesBelow(1e6).length, words: 'the quick brown fox'.split(' ') });
