// An event emitter with once(), error handling and async listeners: a
// common pattern, exercising closures, Maps and promise ordering.
class Emitter {
  #listeners = new Map();
  on(ev, fn) { (this.#listeners.get(ev) ?? this.#listeners.set(ev, []).get(ev)).push(fn); return this; }
  off(ev, fn) { const l = this.#listeners.get(ev); if (l) this.#listeners.set(ev, l.filter((f) => f !== fn && f.original !== fn)); return this; }
  once(ev, fn) { const w = (...a) => { this.off(ev, w); return fn(...a); }; w.original = fn; return this.on(ev, w); }
  emit(ev, ...args) {
    const l = this.#listeners.get(ev);
    if (!l?.length) { if (ev === 'error') throw args[0]; return false; }
    for (const f of [...l]) f.apply(this, args);
    return true;
  }
  count(ev) { return this.#listeners.get(ev)?.length ?? 0; }
}
const e = new Emitter();
const log = [];
const onData = (x) => log.push(`data ${x}`);
e.on('data', onData).once('data', (x) => log.push(`once ${x}`)).on('data', function (x) { log.push(`this ok ${this === e}`); });
e.emit('data', 1);
e.emit('data', 2);
e.off('data', onData);
e.emit('data', 3);
console.log(log, e.count('data'), e.emit('nothing'));
try { e.emit('error', new Error('unhandled error event')); } catch (err) { console.log('thrown:', err.message); }
const once = (em, ev) => new Promise((resolve) => em.once(ev, resolve));
(async () => {
  setTimeout(() => e.emit('ready', 'payload'), 5);
  console.log('awaited', await once(e, 'ready'), e.count('ready'));
  const results = [];
  e.on('job', async (n) => { await null; results.push(n * n); });
  [1, 2, 3].forEach((n) => e.emit('job', n));
  console.log('synchronously after emit:', results.length);
  await new Promise((r) => setTimeout(r, 1));
  console.log('after a tick:', results);
})();
