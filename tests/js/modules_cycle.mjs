// A cycle between two modules: evaluation order and bindings not yet
// initialised.
import { a, aInfo } from './modules/cycle_a.mjs';
import { b } from './modules/cycle_b.mjs';
console.log('main:', a, b, aInfo());
