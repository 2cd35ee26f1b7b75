// Number formatting: toFixed, toPrecision, toExponential and
// toString(radix), with the ties that must round away from zero (printf
// rounds them to even), and numbers whose binary value sits just beside
// a tie.
const ties = [0.5, 1.5, 2.5, -2.5, 1.25, 1.375, 0.125, 8.5, 1e21 / 2 ** 70, 1.005, 1.045, 4.35, 10.235, 2.675, 1.45, 123.456, 0.0005, 9.995, 99.995];
for (const x of ties) {
  console.log(x, [0, 1, 2, 3].map((d) => x.toFixed(d)).join(' '), [1, 2, 3, 4].map((p) => x.toPrecision(p)).join(' '),
    [0, 1, 2].map((d) => x.toExponential(d)).join(' '));
}
const misc = [0, -0, 1, -1, 1e21, 1e-7, 123e-20, 5e-324, 1.7976931348623157e308, 2 ** 53 + 2, 0.1 + 0.2, 1 / 3, -1 / 7, 1234.5678];
for (const x of misc) {
  console.log(String(x), x.toFixed(2), x.toFixed(20), x.toPrecision(1), x.toPrecision(21), x.toExponential(), x.toExponential(15));
}
for (const x of [255, -255, 0.5, 0.1, -3.75, 1e21, 2 ** 60, 1 / 3, 123.456, 1e-7, 5e-324, 2 ** 53 + 2, 0.000123]) {
  console.log(x, [2, 3, 8, 16, 32, 36].map((r) => x.toString(r)).join(' '));
}
console.log((25).toString(36), (-0).toString(2), NaN.toString(16), (-Infinity).toString(7), (1e100).toString(36));
for (const [label, f] of [['toFixed(101)', () => (1).toFixed(101)], ['toPrecision(0)', () => (1).toPrecision(0)], ['toString(1)', () => (1).toString(1)], ['toString(37)', () => (1).toString(37)]]) {
  try { console.log(label, f()); } catch (e) { console.log(label, e.name); }
}
console.log((1e21).toFixed(2), (-1.5e-9).toFixed(10), (0.000001).toFixed(7), (123.456).toFixed(), (1.45).toFixed(1), (1.55).toFixed(1));
console.log((123456789).toPrecision(3), (0.00001234).toPrecision(2), (1e-7).toPrecision(3), (99.99).toPrecision(3), (999.5).toPrecision(3));
console.log(Number('0x1f'), Number('0b101'), Number('1e3'), Number(' 12 '), Number(''), Number('1_000'), parseFloat('3.14abc'), parseInt('08'), parseInt('z', 36));
