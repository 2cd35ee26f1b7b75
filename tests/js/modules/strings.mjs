// Re-exports and renamed exports.
export { square as sq } from './math.mjs';
export * as math from './math.mjs';
const shout = (s) => s.toUpperCase() + '!';
export { shout as loud };
export const greet = (name) => `hello, ${name}`;
