// DataView: both byte orders, every accessor, bounds.
const buf = new ArrayBuffer(24);
const dv = new DataView(buf, 4, 16);
dv.setUint16(0, 0xabcd);
dv.setUint16(2, 0xabcd, true);
dv.setInt32(4, -2);
dv.setFloat32(8, 1.5, true);
dv.setInt8(12, -128);
dv.setUint8(13, 255);
console.log(new Uint8Array(buf));
console.log(dv.getUint16(0).toString(16), dv.getUint16(0, true).toString(16), dv.getUint16(2, true).toString(16));
console.log(dv.getInt32(4), dv.getUint32(4), dv.getInt32(4, true), dv.getFloat32(8, true), dv.getFloat32(8));
console.log(dv.getInt8(12), dv.getUint8(12), dv.getInt16(12), dv.getUint16(12, true));
const dv2 = new DataView(new ArrayBuffer(16));
dv2.setFloat64(0, Math.PI);
dv2.setBigInt64(8, -5n, true);
console.log(dv2.getFloat64(0), dv2.getBigInt64(8, true), dv2.getBigUint64(8, true), dv2.getBigInt64(8));
console.log(Array.from(new Uint8Array(dv2.buffer, 0, 8), (b) => b.toString(16).padStart(2, '0')).join(''));
for (const [what, f] of [['past end', () => dv.getUint32(14)], ['negative', () => dv.getInt8(-1)], ['bad view', () => new DataView(buf, 30)]]) {
  try { f(); console.log(what, 'no error'); } catch (e) { console.log(what, e instanceof RangeError); }
}
console.log(dv.byteLength, dv.byteOffset, dv.buffer === buf);
console.log(new DataView(new ArrayBuffer(4)));
function crc8(bytes) {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}
console.log(crc8(new Uint8Array(buf)), crc8(new TextEncoderLike().encode('hello')));
function TextEncoderLike() { this.encode = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0)); }
