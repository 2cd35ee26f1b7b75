#!/usr/bin/env python3
"""dwarfedit.py - damage or remove the DWARF custom sections of a module.

    dwarfedit.py IN OUT strip                   drop every .debug_* section
    dwarfedit.py IN OUT truncate SECTION N      keep SECTION's first N bytes
    dwarfedit.py IN OUT fill SECTION BYTE       set every byte of SECTION
    dwarfedit.py IN OUT mutate SEED COUNT       overwrite COUNT random bytes
                                                of the .debug_* sections

Only custom sections' contents change; the rest of the module is copied,
so the result still loads and runs as before.
"""
import random
import sys


def leb(b, i):
    value = shift = 0
    while True:
        x = b[i]
        i += 1
        value |= (x & 0x7f) << shift
        shift += 7
        if not x & 0x80:
            return value, i


def enc(n):
    out = bytearray()
    while True:
        x = n & 0x7f
        n >>= 7
        out.append(x | (0x80 if n else 0))
        if not n:
            return bytes(out)


def sections(b):
    """[id, name or None, payload] for each section"""
    i, out = 8, []
    while i < len(b):
        sid = b[i]
        size, j = leb(b, i + 1)
        end, name = j + size, None
        if sid == 0:
            n, j = leb(b, j)
            name = b[j:j + n].decode()
            j += n
        out.append([sid, name, bytearray(b[j:end])])
        i = end
    return out


def build(secs):
    out = bytearray(b'\0asm\1\0\0\0')
    for sid, name, payload in secs:
        body = payload if sid else enc(len(name.encode())) + name.encode() + payload
        out += bytes([sid]) + enc(len(body)) + body
    return bytes(out)


def main(argv):
    src, dst, action, args = argv[1], argv[2], argv[3], argv[4:]
    secs = sections(open(src, 'rb').read())
    debug = [s for s in secs if s[1] and s[1].startswith('.debug_')]
    named = {s[1]: s for s in debug}
    if action == 'strip':
        secs = [s for s in secs if s not in debug]
    elif action == 'truncate':
        named[args[0]][2] = named[args[0]][2][:int(args[1])]
    elif action == 'fill':
        sec = named[args[0]]
        sec[2] = bytearray([int(args[1], 0)]) * len(sec[2])
    elif action == 'mutate':
        rng, total = random.Random(int(args[0])), sum(len(s[2]) for s in debug)
        for _ in range(int(args[1])):
            at = rng.randrange(total)
            for s in debug:
                if at < len(s[2]):
                    s[2][at] = rng.choice([0, 0xff, rng.randrange(256), s[2][at] ^ 0x80])
                    break
                at -= len(s[2])
    else:
        sys.exit('dwarfedit: unknown action ' + action)
    open(dst, 'wb').write(build(secs))


if __name__ == '__main__':
    main(sys.argv)
