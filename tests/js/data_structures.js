// Data structures built on the language: an LRU cache on Map, a binary
// heap, a trie, a linked list with an iterator.
class LRU {
  constructor(cap) { this.cap = cap; this.map = new Map(); }
  get(k) { if (!this.map.has(k)) return undefined; const v = this.map.get(k); this.map.delete(k); this.map.set(k, v); return v; }
  set(k, v) { this.map.delete(k); this.map.set(k, v); if (this.map.size > this.cap) this.map.delete(this.map.keys().next().value); return this; }
}
const lru = new LRU(3);
lru.set('a', 1).set('b', 2).set('c', 3);
lru.get('a');
lru.set('d', 4);
console.log([...lru.map.keys()], lru.get('b'));
class Heap {
  constructor(cmp = (a, b) => a - b) { this.a = []; this.cmp = cmp; }
  push(v) { const a = this.a; a.push(v); let i = a.length - 1; while (i > 0) { const p = (i - 1) >> 1; if (this.cmp(a[i], a[p]) >= 0) break; [a[i], a[p]] = [a[p], a[i]]; i = p; } }
  pop() { const a = this.a; const top = a[0]; const last = a.pop(); if (a.length) { a[0] = last; let i = 0; for (;;) { const l = 2 * i + 1, r = l + 1; let m = i; if (l < a.length && this.cmp(a[l], a[m]) < 0) m = l; if (r < a.length && this.cmp(a[r], a[m]) < 0) m = r; if (m === i) break; [a[i], a[m]] = [a[m], a[i]]; i = m; } } return top; }
  get size() { return this.a.length; }
}
const h = new Heap();
[5, 3, 9, 1, 7, 2, 8].forEach((x) => h.push(x));
const drained = [];
while (h.size) drained.push(h.pop());
console.log(drained);
class Trie {
  constructor() { this.root = {}; }
  insert(w) { let n = this.root; for (const c of w) n = n[c] ??= {}; n.$ = true; }
  withPrefix(p) { let n = this.root; for (const c of p) { n = n[c]; if (!n) return []; } const out = []; (function walk(node, acc) { if (node.$) out.push(acc); for (const k of Object.keys(node).sort()) if (k !== '$') walk(node[k], acc + k); })(n, p); return out; }
}
const t = new Trie();
'car cart carbon cat dog door dorm'.split(' ').forEach((w) => t.insert(w));
console.log(t.withPrefix('car'), t.withPrefix('do'), t.withPrefix('x'));
class List {
  constructor(...xs) { this.head = null; for (const x of xs.reverse()) this.head = { value: x, next: this.head }; }
  *[Symbol.iterator]() { for (let n = this.head; n; n = n.next) yield n.value; }
  reverse() { let prev = null, n = this.head; while (n) [n.next, prev, n] = [prev, n, n.next]; this.head = prev; return this; }
}
const list = new List(1, 2, 3, 4);
console.log([...list], [...list.reverse()], Math.max(...list));
const graph = { a: ['b', 'c'], b: ['d'], c: ['d', 'e'], d: ['f'], e: ['f'], f: [] };
function bfs(start, goal) { const prev = { [start]: null }, q = [start]; while (q.length) { const n = q.shift(); if (n === goal) break; for (const m of graph[n]) if (!(m in prev)) { prev[m] = n; q.push(m); } } const path = []; for (let n = goal; n; n = prev[n]) path.unshift(n); return path; }
console.log(bfs('a', 'f').join(' -> '));
function topo(g) { const seen = new Set(), out = []; const visit = (n) => { if (seen.has(n)) return; seen.add(n); g[n].forEach(visit); out.unshift(n); }; Object.keys(g).forEach(visit); return out; }
console.log(topo(graph));
