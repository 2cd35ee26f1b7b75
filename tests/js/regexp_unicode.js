// Unicode in regular expressions: the u flag, property escapes, code
// point classes, the s and y flags, case folding.
const s = 'a😀b𝒳c';
console.log(s.length, [...s].length, s.match(/./g).length, s.match(/./gu).length);
console.log(/^.$/.test('😀'), /^.$/u.test('😀'), /\u{1F600}/u.test('😀'), /[😀-😂]/u.test('😁'));
console.log('Ünïcode Ελληνικά 中文 123'.match(/\p{L}+/gu), 'x1٣'.match(/\p{Nd}/gu));
console.log('Hello World ÀÉ'.match(/\p{Lu}/gu), /\p{Script=Greek}+/u.exec('abc αβγ def')[0]);
console.log('line1\nline2'.match(/line1.line2/) === null, /line1.line2/s.test('line1\nline2'));
const sticky = /\d+/y;
sticky.lastIndex = 3;
console.log(sticky.exec('ab 123 45')?.[0], sticky.lastIndex, sticky.exec('ab 123 45'), sticky.lastIndex);
console.log(/ſ/i.test('s'), /ſ/iu.test('s'), /\u212a/iu.test('k'), /[a-z]/i.test('K'));
console.log('ÅNGSTRÖM'.toLowerCase(), 'ǆ'.toUpperCase(), 'İ'.toLowerCase().length, 'ß'.toUpperCase());
console.log(/\bé/u.test('café'), /\w/u.test('é'), 'tab\there'.replace(/\s/g, '_'), /\S+/.exec(' \u00a0x')[0]);
console.log(new RegExp('\\p{Emoji_Presentation}', 'u').test('😀'), /^\p{ASCII}+$/u.test('abc~'), /[^\p{ASCII}]/u.exec('ab©')[0]);
console.log('a😀b'.split(''), 'a😀b'.split(/(?:)/u), 'x'.padEnd(3, '😀').length);
console.log(/(?<𝒳>x)/u.exec('x').groups, '\u0041\u030A'.normalize('NFC') === '\u00C5', 'é'.normalize('NFD').length);
