// Timers: run in order of due time, then of scheduling; arguments,
// clearTimeout, nesting, delays that are not numbers.  The gaps between
// due times are kept wide, so that node's real clock cannot reorder them.
const log = [];
const at = (label) => () => log.push(label);
setTimeout(at('30ms'), 30);
setTimeout(at('10ms'), 10);
setTimeout(at('0ms (first)'), 0);
setTimeout(at('1ms (second, same due time as 0)'), 1);
setTimeout(at('-5ms (third)'), -5);
setTimeout(at('"x" ms (fourth)'), 'x');
const cancelled = setTimeout(at('cancelled'), 20);
clearTimeout(cancelled);
clearTimeout(undefined);
clearTimeout(123456);
setTimeout((a, b) => log.push(`args ${a} ${b}`), 40, 'one', 2);
setTimeout(() => {
  log.push('50ms outer');
  setTimeout(at('outer + 20 = 70ms'), 20);
  setTimeout(() => {
    log.push('outer + 40 = 90ms');
    Promise.resolve().then(at('microtask queued by a timer'));
    setTimeout(at('last'), 30);
  }, 40);
}, 50);
setTimeout(at('80ms'), 80);
setTimeout(() => console.log(log.join('\n')), 200);
console.log('scheduled', typeof setTimeout(() => {}, 1) !== 'undefined');
