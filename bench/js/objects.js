// objects.js - an object-heavy simulation for bench/js.sh: particles
// (class instances) moving in a box, bouncing, colliding on a grid kept
// in a Map, with short-lived vector objects on every step.
const STEPS = Number(typeof scriptArgs !== 'undefined' ? scriptArgs[1] : process.argv[2]) || 300;

class Vec {
    constructor(x, y) { this.x = x; this.y = y; }
    add(o) { return new Vec(this.x + o.x, this.y + o.y); }
    scale(k) { return new Vec(this.x * k, this.y * k); }
}

class Particle {
    constructor(id, pos, vel) { this.id = id; this.pos = pos; this.vel = vel; this.hits = 0; }
    step(dt, size) {
        let p = this.pos.add(this.vel.scale(dt));
        let v = this.vel;
        if (p.x < 0 || p.x > size) { v = new Vec(-v.x, v.y); p = new Vec(Math.min(Math.max(p.x, 0), size), p.y); }
        if (p.y < 0 || p.y > size) { v = new Vec(v.x, -v.y); p = new Vec(p.x, Math.min(Math.max(p.y, 0), size)); }
        this.pos = p;
        this.vel = v;
    }
}

const SIZE = 1000, CELL = 25;
const particles = [];
let seed = 7;
function rnd() { seed = (seed * 16807) % 2147483647; return seed / 2147483647; }
for (let i = 0; i < 2000; i++)
    particles.push(new Particle(i, new Vec(rnd() * SIZE, rnd() * SIZE), new Vec(rnd() * 20 - 10, rnd() * 20 - 10)));

let collisions = 0;
for (let s = 0; s < STEPS; s++) {
    const grid = new Map();
    for (const p of particles) {
        p.step(0.5, SIZE);
        const key = ((p.pos.x / CELL) | 0) * 1000 + ((p.pos.y / CELL) | 0);
        const cell = grid.get(key);
        if (cell) { cell.push(p); } else { grid.set(key, [p]); }
    }
    for (const cell of grid.values())
        if (cell.length > 1) { collisions += cell.length - 1; for (const p of cell) p.hits++; }
}
let sx = 0, hits = 0;
for (const p of particles) { sx += p.pos.x; hits += p.hits; }
console.log('objects steps=' + STEPS + ' collisions=' + collisions + ' hits=' + hits + ' sx=' + sx.toFixed(3));
