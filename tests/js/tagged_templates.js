// Template literals and tagged templates: raw strings, caching of the
// strings array, nesting, escapes.
const name = 'World', n = 3;
console.log(`Hello ${name}! ${n} + ${n} = ${n + n}`, `multi
line`, `nested ${`inner ${n * 2}`} done`, `\${not interpolated}`);
function tag(strings, ...values) {
  return { strings: [...strings], raw: strings.raw, values, frozen: Object.isFrozen(strings) };
}
console.log(tag`a${1}b${2}c`, tag`\n${'x'}\u0041`);
console.log(tag``, tag`${0}`);
const seen = new Set();
function cacheTag(strings) { seen.add(strings); return seen.size; }
for (let i = 0; i < 3; i++) cacheTag`same site`;
cacheTag`other site`;
console.log('distinct template objects:', seen.size);
console.log(String.raw`C:\path\to\${name}`, String.raw({ raw: ['x', 'y', 'z'] }, 1, 2, 3));
const html = (s, ...v) => s.reduce((out, str, i) => out + str + (i < v.length ? String(v[i]).replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`) : ''), '');
console.log(html`<p title="${'"quoted"'}">${'<b>bold</b> & more'}</p>`);
const sql = (s, ...v) => ({ text: s.reduce((a, str, i) => a + '$' + i + str), params: v });
console.log(sql`SELECT * FROM t WHERE a = ${1} AND b = ${'two'}`);
console.log(tag`invalid \unicode escape`.strings, tag`invalid \unicode escape`.raw);
console.log(`${[1, 2]}|${{ a: 1 }}|${null}|${undefined}|${Symbol.iterator.description}|${12n}`);
