// Equality and typeof: ==, ===, Object.is, SameValueZero, the quirks.
const values = [0, -0, '', '0', null, undefined, NaN, false, [], [0], {}, '1', 1, true];
const names = ['0', '-0', "''", "'0'", 'null', 'undef', 'NaN', 'false', '[]', '[0]', '{}', "'1'", '1', 'true'];
for (let i = 0; i < values.length; i++) {
  let row = names[i].padEnd(6);
  for (let j = 0; j < values.length; j++) row += values[i] == values[j] ? ' =' : ' .';
  console.log(row);
}
console.log(NaN === NaN, Object.is(NaN, NaN), 0 === -0, Object.is(0, -0), [NaN].includes(NaN), new Set([0, -0]).size);
console.log(typeof null, typeof undefined, typeof [], typeof function () {}, typeof class {}, typeof 1n, typeof Symbol(), typeof NaN);
console.log(null == 0, null >= 0, undefined == 0, '' == 0, ' \t\n' == 0, '1e1' == 10, [1, 2] == '1,2', ({}) == '[object Object]');
const a = { valueOf() { return 42; } };
console.log(a == 42, a === 42, a > 41, `${a}`, a + 1);
console.log('b' + 'a' + +'a' + 'a', [] + [], [] + {}, 1 + '2', '3' - 1, '3' * '4', true + true, null + 1, undefined + 1);
