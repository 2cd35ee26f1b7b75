// RegExp named groups, replace patterns and matchAll.
const dateRe = /(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})/;
const m = '2024-02-29'.match(dateRe);
console.log(m.groups.year, m.groups.month, m.groups.day, m.index, m.length);
console.log({ ...m.groups });
console.log('2024-02-29'.replace(dateRe, '$<day>/$<month>/$<year>'));
console.log('2024-02-29 and 1999-12-31'.replace(new RegExp(dateRe.source, 'g'), (...args) => {
  const groups = args[args.length - 1];
  return `${groups.month}.${groups.year}`;
}));
const kv = /(?<key>\w+)=(?<value>[^;]*)/g;
for (const match of 'a=1;bee=two;c=;d=x y'.matchAll(kv)) console.log(match.index, match.groups.key, JSON.stringify(match.groups.value));
console.log(/(?<word>\w+) \k<word>/.test('hello hello'), /(?<word>\w+) \k<word>/.test('hello world'));
console.log('x-y_z'.replace(/(?<sep>[-_])/g, '[$<sep>]'), 'aaa'.replace(/a/g, '$&$&'), 'abc'.replace('b', "$'$`"));
const re = /o/g;
console.log(re.exec('foo').index, re.lastIndex, re.exec('foo').index, re.exec('foo'), re.lastIndex);
console.log('one two  three'.split(/\s+/), 'a1b22c333'.split(/\d+/), 'abc'.split(''), 'a,b,'.split(',', 2));
const optional = /(?<a>x)?(?<b>y)/.exec('y');
console.log(optional.groups, 'a' in optional.groups, optional[1]);
console.log('Price: $42.50, $3'.match(/\$(\d+)(?:\.(\d+))?/g), /^[\w.+-]+@\w+\.\w{2,}$/.test('me.you+tag@example.com'));
console.log(RegExp.prototype.toString.call(/a\/b[/]/gimsuy), new RegExp('a/b', 'g').source, String(new RegExp('')));
