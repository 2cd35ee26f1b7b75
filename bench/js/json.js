// json.js - a JSON round-trip workload for bench/js.sh: builds a document
// of nested records, then stringifies and parses it N times, checking
// a digest of the result every round so no engine can skip the work.
const N = Number(typeof scriptArgs !== 'undefined' ? scriptArgs[1] : process.argv[2]) || 200;

function makeDoc(seed) {
    const items = [];
    let x = seed;
    for (let i = 0; i < 400; i++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        items.push({
            id: i,
            name: 'item-' + (x % 9973),
            price: (x % 100000) / 100,
            tags: ['a' + (x % 7), 'b' + (x % 11), 'c' + (x % 13)],
            dims: { w: x % 50, h: (x >> 3) % 40, d: (x >> 6) % 30 },
            active: (x & 1) === 1,
        });
    }
    return { version: 3, generated: 'bench', items };
}

let digest = 0;
let doc = makeDoc(42);
for (let round = 0; round < N; round++) {
    const text = JSON.stringify(doc);
    doc = JSON.parse(text);
    doc.items[round % doc.items.length].price += 1;
    digest = (digest * 31 + text.length) % 1000000007;
}
let total = 0;
for (const it of doc.items) total += it.price;
console.log('json rounds=' + N + ' digest=' + digest + ' total=' + total.toFixed(2));
