// setInterval: repeats until cleared, also from inside its callback; its
// runs interleave with timeouts by due time.
const log = [];
let ticks = 0;
const id = setInterval((tag) => {
  ticks++;
  log.push(`${tag} ${ticks}`);
  if (ticks === 4) clearInterval(id);
}, 20, 'tick');
setTimeout(() => log.push('timeout at 50'), 50);
setTimeout(() => log.push('timeout at 100'), 100);
let other = 0;
const id2 = setInterval(() => {
  other++;
  log.push(`slow ${other}`);
}, 35);
setTimeout(() => clearInterval(id2), 120);
setTimeout(() => {
  console.log(log.join('\n'));
  console.log('ticks', ticks, 'slow', other);
}, 200);
