// Dates in UTC only, so that the output does not depend on the time zone.
const d = new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 765));
console.log(d.toISOString(), d.getTime(), d.valueOf() === +d, JSON.stringify({ d }));
console.log(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCDay(), d.getUTCHours(), d.getUTCMilliseconds());
const e = new Date(d);
e.setUTCDate(e.getUTCDate() + 1);
console.log(e.toISOString());
e.setUTCMonth(13);
console.log(e.toISOString());
e.setUTCHours(48, 61, 61, 1001);
console.log(e.toISOString());
console.log(new Date(0).toISOString(), new Date(-1).toISOString(), new Date(8.64e15).toISOString());
console.log(Date.UTC(1970, 0, 1), Date.UTC(2000, 0), Date.UTC(99, 0), Date.UTC(-1, 0));
for (const s of ['2020-01-02', '2020-01-02T03:04:05Z', '2020-01-02T03:04:05.678Z', '2020-01-02T03:04:05+02:00', '+010000-01-01T00:00:00Z', 'not a date', '2020-02-30T00:00:00Z']) {
  const t = Date.parse(s);
  console.log(JSON.stringify(s), t, Number.isNaN(t) ? 'invalid' : new Date(t).toISOString());
}
const invalid = new Date(NaN);
console.log(String(invalid), invalid.getTime(), JSON.stringify(invalid), isNaN(invalid));
try { invalid.toISOString(); } catch (err) { console.log('toISOString of invalid:', err instanceof RangeError); }
const days = (a, b) => Math.round((b - a) / 86400000);
console.log(days(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1)), days(Date.UTC(2023, 0, 1), Date.UTC(2024, 0, 1)));
console.log(new Date(Date.UTC(2024, 0, 31)).toUTCString(), new Date(Date.UTC(1999, 11, 31, 23, 59, 59)).toUTCString());
console.log(new Date(Date.UTC(2024, 4, 5)), [new Date(0)], { when: new Date(1e12) });
const sorted = [Date.UTC(2020, 5), Date.UTC(2019, 0), Date.UTC(2021, 2)].map((t) => new Date(t)).sort((a, b) => a - b);
console.log(sorted.map((x) => x.toISOString().slice(0, 7)));
const leap = (y) => new Date(Date.UTC(y, 1, 29)).getUTCMonth() === 1;
console.log([1900, 2000, 2023, 2024, 2100].map(leap), typeof Date.now(), Date.now() > 1.6e12);
