// A module with named exports, a default export and a live binding.
export const PI2 = Math.PI * 2;
export function square(x) { return x * x; }
export let counter = 0;
export function increment() { counter++; }
export default class Vector {
  constructor(x, y) { this.x = x; this.y = y; }
  length() { return Math.hypot(this.x, this.y); }
}
