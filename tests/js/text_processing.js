// Text processing: word counts, a CSV parser, a fixed-width table,
// wrapping, templating.
const text = `It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness, it was the epoch of belief.`;
const counts = new Map();
for (const w of text.toLowerCase().match(/[a-z]+/g)) counts.set(w, (counts.get(w) || 0) + 1);
const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
console.log(top);
function parseCSV(src) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}
const rows = parseCSV('name,qty,price\n"Widget, large",3,9.99\n"Say ""hi""",10,0.5\nEmpty,,\n');
console.log(rows);
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] || '').length)));
for (const r of rows) console.log('| ' + r.map((f, c) => (c ? f.padStart(widths[c]) : f.padEnd(widths[c]))).join(' | ') + ' |');
function wrap(s, width) {
  const lines = [];
  let line = '';
  for (const word of s.split(/\s+/)) {
    if (line && (line + ' ' + word).length > width) { lines.push(line); line = word; } else line = line ? line + ' ' + word : word;
  }
  if (line) lines.push(line);
  return lines;
}
console.log(wrap(text, 30).join('\n'));
const render = (tpl, vars) => tpl.replace(/\{\{\s*(\w+)(?:\|(\w+))?\s*\}\}/g, (_, k, f) => { const v = vars[k] ?? `<${k}?>`; return f === 'upper' ? String(v).toUpperCase() : v; });
console.log(render('Hello {{ name|upper }}, you have {{count}} new {{ what }}.', { name: 'ada', count: 3 }));
const slug = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
console.log(slug('  Crème Brûlée: A Recipe!  '), slug('Ünïcödé & Co.'));
console.log('racecar,level,hello,A man a plan a canal Panama'.split(',').map((s) => { const t = s.toLowerCase().replace(/[^a-z]/g, ''); return t === [...t].reverse().join(''); }));
