// Exceptions: try/catch/finally ordering, rethrowing, custom errors,
// errors' names and the presence of stacks (their format is engine-specific).
function trace(label, f) {
  const steps = [];
  try {
    steps.push('try');
    f(steps);
    steps.push('after');
  } catch (e) {
    steps.push(`catch ${e instanceof Error ? e.name : typeof e}`);
  } finally {
    steps.push('finally');
  }
  console.log(label, steps.join(' > '));
}
trace('none', () => {});
trace('throw', () => { throw new RangeError('r'); });
trace('string', () => { throw 'just a string'; });
trace('nested', (s) => {
  try { throw new Error('inner'); } catch (e) { s.push('inner catch'); throw new TypeError('rethrown'); } finally { s.push('inner finally'); }
});
function finallyWins() { try { return 'try'; } finally { return 'finally'; } }
function finallyRuns() { let x = 1; try { return x; } finally { x = 2; console.log('finally ran, x =', x); } }
console.log(finallyWins(), finallyRuns());
const builtins = [() => null.x, () => undefinedName, () => (1).toFixed(500), () => new Array(-1), () => JSON.parse('{'), () => decodeURIComponent('%'), () => Symbol() + ''];
console.log(builtins.map((f) => { try { f(); return 'ok'; } catch (e) { return e.constructor.name; } }).join(' '));
class HttpError extends Error {
  constructor(status, ...rest) {
    super(...rest);
    this.name = 'HttpError';
    this.status = status;
  }
}
function inner() { throw new HttpError(404, 'not found'); }
function middle() { inner(); }
try {
  middle();
} catch (e) {
  console.log(e.name, e.status, e.message, String(e), e instanceof HttpError);
  console.log(typeof e.stack, e.stack.includes('inner'), e.stack.includes('middle'));
}
const e2 = new Error('with props');
e2.code = 'E_CODE';
console.log(Object.keys(e2), e2.code, Object.prototype.toString.call(e2), Error.prototype.name, e2.hasOwnProperty('message'));
try {
  try { throw new Error('first'); } finally { console.log('cleanup before propagation'); }
} catch (e) {
  console.log('outer got', e.message);
}
const results = [];
for (const v of [1, 0, 'x']) {
  try {
    if (v === 0) throw new Error('zero');
    if (typeof v !== 'number') throw new TypeError('not a number');
    results.push(10 / v);
  } catch (e) {
    results.push(e.name);
    if (e instanceof TypeError) continue;
  } finally {
    results.push('f');
  }
}
console.log(results);
let depth = 0;
function recurse() { depth++; recurse(); }
try { recurse(); } catch (e) { console.log('runaway recursion caught:', e instanceof Error, depth > 1000); }
