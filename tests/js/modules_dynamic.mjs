// Dynamic import(): a promise of the namespace, evaluated once.
console.log('before import()');
const p = import('./modules/lazy.mjs');
console.log('import() returned a promise:', p instanceof Promise);
const ns = await_free(p);
function await_free(promise) {
  return promise.then(async (m) => {
    console.log(m.value, m.default());
    const again = await import('./modules/lazy.mjs');
    console.log('same namespace:', again === m);
    try {
      await import('./modules/does-not-exist.mjs');
    } catch (e) {
      console.log('missing module rejected:', e instanceof Error);
    }
  });
}
ns.then(() => console.log('done'));
