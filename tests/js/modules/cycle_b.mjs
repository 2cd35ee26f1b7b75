// The other half: evaluated first, so a's bindings are not yet set.
import { a, aInfo } from './cycle_a.mjs';
export const b = 'B';
export function bInfo() { return `b sees a=${a}`; }
let early;
try { early = a; } catch (e) { early = e instanceof ReferenceError ? 'TDZ' : e.name; }
console.log('evaluating cycle_b; a is', early, typeof aInfo);
