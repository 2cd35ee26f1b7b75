// Strings as UTF-16: surrogate pairs, code points, normalisation.
const s = 'naïve café 😀 𝒳';
console.log(s.length, [...s].length, Array.from(s).slice(-3), s.split('').length);
console.log([...'😀👍🏽'].map((c) => c.codePointAt(0).toString(16)), '👍🏽'.length);
console.log('\u00e9' === '\u0065\u0301', '\u00e9' === '\u0065\u0301'.normalize('NFC'), 'é'.normalize('NFD').split('').map((c) => c.charCodeAt(0)));
console.log('ﬁ'.normalize('NFKC'), '①'.normalize('NFKD'), 'Å'.normalize('NFD').length);
console.log(String.fromCodePoint(0x1f600).split(''), '😀'.slice(0, 1).length, '😀'.substring(1).charCodeAt(0).toString(16));
const reversed = [...'abc😀'].reverse().join('');
console.log(reversed, reversed.length, 'abc😀'.split('').reverse().join('') === reversed);
for (const ch of 'a😀') console.log(ch, ch.length);
console.log('\u{1F600}' === '😀', '\uD83D\uDE00' === '😀', 'x'.codePointAt(5), 'ÅÄÖ'.toLowerCase(), 'straße'.toUpperCase());
console.log(encodeURIComponent('😀'), decodeURIComponent('%F0%9F%98%80'), escape('😀'));
try { encodeURIComponent('\ud800'); } catch (e) { console.log('lone surrogate:', e instanceof URIError); }
console.log(JSON.stringify('😀\ud800'), 'z' > 'é', 'e\u0301' < 'é', ['é', 'e', 'f', 'E'].sort());
console.log('abc'.padStart(6, '😀'), 'Ǆ'.toLowerCase(), 'ǆ'.toUpperCase(), 'ß'.length, 'İ'.length);
