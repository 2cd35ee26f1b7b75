// One half of an import cycle: evaluated second, after cycle_b.
import { b, bInfo } from './cycle_b.mjs';
export const a = 'A';
export function aInfo() { return `a sees b=${b}`; }
console.log('evaluating cycle_a;', bInfo());
