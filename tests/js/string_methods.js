// String methods that do not depend on a locale.
const s = 'The quick brown fox';
console.log(s.length, s.indexOf('quick'), s.lastIndexOf('o'), s.includes('fox'), s.startsWith('The'), s.endsWith('x'));
console.log(s.slice(4, 9), s.slice(-3), s.substring(9, 4), s.substr(-9, 5), s.charAt(4), s.charCodeAt(0), s[100]);
console.log(s.toUpperCase(), s.toLowerCase(), s.split(' ').reverse().join(' '));
console.log('  pad  '.trim() + '|', '  pad  '.trimStart() + '|', '|' + '  pad  '.trimEnd());
console.log('5'.padStart(3, '0'), 'abc'.padEnd(8, '12'), 'x'.padStart(0), 'ab'.repeat(3), ''.repeat(10) === '');
console.log('a-b-c'.replace('-', '+'), 'a-b-c'.replaceAll('-', '+'), 'a.b.c'.split('.', 2), 'abc'.concat(1, [2, 3]));
console.log('%41%42'.replace(/%([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))));
console.log(String.fromCharCode(72, 105), String.fromCodePoint(0x1f600, 65), 'A'.codePointAt(0), '😀'.codePointAt(0), '😀'.charCodeAt(1));
console.log('abc' < 'abd', 'a' < 'B', 'Z' < 'a', '10' < '9', 'abc'.localeCompare === undefined);
console.log(encodeURIComponent('a b&c/d?é'), encodeURI('http://x.y/a b?q=1&r=é'), decodeURIComponent('%E2%9C%93'));
console.log(escape('a b+c'), unescape('%u00e9%20'), btoaLike('hi'));
function btoaLike(str) {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < str.length; i += 3) {
    const n = (str.charCodeAt(i) << 16) | ((str.charCodeAt(i + 1) || 0) << 8) | (str.charCodeAt(i + 2) || 0);
    out += chars[(n >> 18) & 63] + chars[(n >> 12) & 63] + (i + 1 < str.length ? chars[(n >> 6) & 63] : '=') + (i + 2 < str.length ? chars[n & 63] : '=');
  }
  return out;
}
console.log([...'abc'].map((c) => c.charCodeAt(0).toString(2).padStart(8, '0')).join(' '));
console.log('Title Case Words'.split(' ').map((w) => w[0].toLowerCase() + w.slice(1).toUpperCase()).join('_'));
console.log('a\tb\\n'.length, 'line1\r\nline2'.split(/\r?\n/));
console.log(String(null), String([1, [2, 3]]), String({}), `${[]}|${{}}`, String(Symbol('q')), [1, 2] + '');
