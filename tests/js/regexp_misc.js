// RegExp odds and ends: flags and their properties, lastIndex with g,
// replace callbacks, backreferences, greedy and lazy quantifiers.
const re = /a(b)?/gi;
console.log(re.flags, re.global, re.ignoreCase, re.multiline, re.sticky, re.unicode, re.dotAll, re.source);
console.log('ABAaxab'.match(re), 'ABAaxab'.replace(re, (m, g1, off) => `[${m}|${g1}|${off}]`));
console.log('<a><b></b></a>'.match(/<.+>/)[0], '<a><b></b></a>'.match(/<.+?>/)[0], 'aaaa'.match(/a{2,3}/)[0], 'aaaa'.match(/a{2,3}?/)[0]);
console.log(/(\w)\1/.exec('abccd')[0], 'aa bb cd'.match(/(\w)\1/g), /^(?:(a)|b)+$/.test('ab'), Object.keys(/(x)/.exec('x')).sort());
const multi = 'first line\nsecond line\nthird';
console.log(multi.match(/^\w+/gm), multi.match(/\w+$/gm), /^second/.test(multi), /^second/m.test(multi));
console.log('x'.replace(/x/, '$$'), 'abc'.replace(/(b)/, '[$1$2]'), 'abc'.replace(/b/, () => '$1'), 'aaa'.replace(/a*?/g, '-'));
console.log(''.split(/,/), 'a,b'.split(/(,)/), 'abc'.split(/(?:)/), 'test'.search(/s/), 'test'.search(/z/));
const g = /\d/g;
const found = [];
let m;
while ((m = g.exec('a1b22c')) !== null) found.push(`${m[0]}@${m.index}`);
console.log(found, g.lastIndex);
console.log(/[\u4e00-\u9fff]+/.exec('abc中文def')[0], /\bfoo\b/.test('a foo.'), /\Bfoo/.test('afoo'), /[^]/.test('\n'));
console.log(new RegExp('[.*+?^${}()|[\\]\\\\]', 'g')[Symbol.replace]('a.b*c', '\\$&'), RegExp('x', 'g').flags);
console.log(/(?:x|y)+/.exec('xyxz')[0], /a|ab/.exec('abc')[0], /(a+)+b/.test('aaaaaaaaaaaaaaaaaaaab'), /(?=(\d{3}))/g[Symbol.split]);
try { new RegExp('('); } catch (e) { console.log('bad pattern:', e instanceof SyntaxError); }
try { new RegExp('a', 'gg'); } catch (e) { console.log('bad flags:', e instanceof SyntaxError); }
