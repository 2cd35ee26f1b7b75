// Labelled break and continue, in nested loops and blocks.
const grid = [[1, 2, 3], [4, -5, 6], [7, 8, 9]];
let found = null;
search: for (let r = 0; r < grid.length; r++) {
  for (let c = 0; c < grid[r].length; c++) {
    if (grid[r][c] < 0) { found = [r, c]; break search; }
  }
}
console.log('first negative at', found);
const pairs = [];
outer: for (let i = 0; i < 5; i++) {
  for (let j = 0; j < 5; j++) {
    if (j > i) continue outer;
    if ((i + j) % 3 === 0) continue;
    pairs.push(`${i}${j}`);
  }
}
console.log(pairs.join(' '));
block: {
  console.log('in block');
  if (pairs.length) break block;
  console.log('never printed');
}
let n = 0;
loop1: while (true) {
  loop2: do {
    n++;
    if (n % 2) continue loop2;
    if (n > 6) break loop1;
  } while (n < 100);
}
console.log('n =', n);
const primes = [];
candidates: for (let k = 2; primes.length < 10; k++) {
  for (const p of primes) if (k % p === 0) continue candidates;
  primes.push(k);
}
console.log(primes);
function firstDuplicate(words) {
  let result = 'none';
  scan: for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j < words.length; j++) {
      if (words[i] === words[j]) { result = words[i]; break scan; }
    }
  }
  return result;
}
console.log(firstDuplicate(['a', 'b', 'c', 'b', 'a']), firstDuplicate(['x']));
lbl: for (const x of [1, 2, 3]) {
  try {
    if (x === 2) continue lbl;
    console.log('body', x);
  } finally {
    console.log('finally', x);
  }
}
