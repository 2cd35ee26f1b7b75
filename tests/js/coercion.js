// Type conversion: ToPrimitive order, ToNumber and ToString of edge
// values, parseInt/parseFloat, the unary plus.
const log = [];
const tracer = {
  valueOf() { log.push('valueOf'); return 7; },
  toString() { log.push('toString'); return 'seven'; },
};
console.log(tracer + 1, `${tracer}`, String(tracer), tracer * 1, [tracer] + '', log.join(','));
const onlyToString = { toString: () => '5' };
console.log(onlyToString * 2, onlyToString + 1, +onlyToString);
console.log(+'', +' 42 ', +'4 2', +'0x1A', +'0o17', +'0b11', +'1e-3', +'Infinity', +'-0', +[], +[5], +[1, 2], +{}, +null, +undefined, +true);
console.log(Number('12px'), parseInt('12px'), parseFloat('.5e1x'), parseInt('0x1f'), parseInt('1f', 16), parseInt('  -07'), parseInt(''), parseInt('9', 8));
console.log(parseInt(0.0000005), parseInt('123', 0), parseInt('11', 2), parseInt('zz', 36), parseFloat('-.1'), parseFloat('1e1000'));
console.log(String(-0), String([null]), String([undefined, 1]), String({}), String(() => 1), String(123n), String(1e100));
console.log(!!'', !!'0', !!NaN, !![], !!{}, !!0n, !!-0, !!document_undefined());
function document_undefined() { return undefined; }
console.log(1 < 2 < 3, 3 > 2 > 1, '2' > '12', 2 > '12', 'a' > 1, null + '', [1] * [2], [3] - [1]);
console.log([10, 1, 2].sort(), [10, 1, 2].sort().map(Number), ['10', '9'].map(Number).sort((a, b) => a - b));
const d = new Date(0);
console.log(typeof (d + 1), typeof (d - 1), d - 1, JSON.stringify(d) === `"${d.toISOString()}"`);
console.log(Number.isNaN('x'), isNaN('x'), isFinite('12'), Number.isFinite('12'), Math.max('7', 3), [1, 2, 3].indexOf('2'));
