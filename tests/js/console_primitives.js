// console.log of primitives, alone (strings raw) and inside containers
// (strings quoted), and several arguments.
console.log('plain string', 42, -0, 0, NaN, -Infinity, 1e21, 1.5e-7, 123n, -0n, true, null, undefined);
console.log(['str', 42, -0, NaN, 10n, false, null, undefined, Symbol('desc'), Symbol(), Symbol.iterator]);
console.log({ s: 'x', n: 1.25, z: -0, b: 2n ** 70n, u: undefined, nul: null, sym: Symbol.for('reg') });
console.log('');
console.log();
console.log('', '');
console.log('multi\nline', ['multi\nline']);
console.log(["it's", 'say "hi"', `both ' and "`, 'all \' " `', 'backslash \\ tab \t nul \0 bell \x07 del \x7f']);
console.log(['\u00a0nbsp', '\u0085nel', 'é', '😀', '\ud800 lone', 'end \udc00']);
console.log(Symbol('with \n newline'), [Symbol('quote \' inside')], { [Symbol('key')]: 1, [Symbol()]: 2 });
console.log(typeof console.log, console.log === console.log, String(Symbol('s')));
console.log(1, '2', [3], { four: 4 }, '5 6');
