// Promise job ordering: then chains, resolution with thenables and
// promises, and the extra ticks they take.
const out = [];
const p = Promise.resolve();
p.then(() => out.push(1)).then(() => out.push(4)).then(() => out.push(7));
p.then(() => out.push(2)).then(() => out.push(5)).then(() => out.push(8));
p.then(() => out.push(3)).then(() => out.push(6)).then(() => out.push(9));

const viaPromise = new Promise((r) => r(Promise.resolve('inner')));
viaPromise.then((v) => out.push(`resolved-with-promise:${v}`));
Promise.resolve().then(() => out.push('a')).then(() => out.push('b')).then(() => out.push('c'));

const thenable = { then(res) { out.push('thenable.then called'); res('T'); } };
Promise.resolve(thenable).then((v) => out.push(`thenable:${v}`));

new Promise((_, rej) => rej(new Error('x'))).catch((e) => out.push(`catch:${e.message}`)).finally(() => out.push('finally'));
out.push('sync');
setTimeout(() => {
  console.log(out.join(' '));
  const order = [];
  setTimeout(() => order.push('timeout'), 0);
  Promise.resolve().then(() => order.push('promise'));
  queueMicrotask(() => order.push('microtask'));
  order.push('sync');
  setTimeout(() => console.log(order.join(' ')), 5);
}, 1);
