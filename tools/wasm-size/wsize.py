#!/usr/bin/env python3
"""Code size per function of a wasm file with a name section (the cargo
build before wasm-opt): total, per crate (first path segment of the
demangled name), and the largest functions.

Usage: wsize.py FILE.wasm [N] [FILTER]
  N       how many of the largest functions to print (default 25)
  FILTER  only count functions whose demangled name contains this text
"""
import collections
import re
import subprocess
import sys


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def read(path):
    b = open(path, "rb").read()
    i = 8
    nimports = 0
    bodies = []
    names = {}
    while i < len(b):
        sid = b[i]
        i += 1
        n, i = leb(b, i)
        end = i + n
        if sid == 2:  # imports: count the imported functions
            c, j = leb(b, i)
            for _ in range(c):
                l, j = leb(b, j)
                j += l
                l, j = leb(b, j)
                j += l
                k = b[j]
                j += 1
                if k == 0:
                    _, j = leb(b, j)
                    nimports += 1
                elif k == 1:
                    j += 1
                    f, j = leb(b, j)
                    _, j = leb(b, j)
                    if f & 1:
                        _, j = leb(b, j)
                elif k == 2:
                    f, j = leb(b, j)
                    _, j = leb(b, j)
                    if f & 1:
                        _, j = leb(b, j)
                elif k == 3:
                    j += 2
        elif sid == 10:  # code
            c, j = leb(b, i)
            for _ in range(c):
                l, j = leb(b, j)
                bodies.append(l)
                j += l
        elif sid == 0:  # custom: the name section
            l, j = leb(b, i)
            nm = b[j : j + l].decode()
            j += l
            if nm == "name":
                while j < end:
                    sub = b[j]
                    j += 1
                    sl, j = leb(b, j)
                    se = j + sl
                    if sub == 1:
                        c, k = leb(b, j)
                        for _ in range(c):
                            idx, k = leb(b, k)
                            l, k = leb(b, k)
                            names[idx] = b[k : k + l].decode("utf8", "replace")
                            k += l
                    j = se
        i = end
    return nimports, bodies, names


def demangle(raw):
    try:
        out = subprocess.run(
            ["c++filt", "-s", "rust"], input="\n".join(raw), capture_output=True, text=True, check=True
        ).stdout.split("\n")
        if len(out) >= len(raw):
            return out[: len(raw)]
    except (OSError, subprocess.CalledProcessError):
        pass
    return raw


def crate_of(name):
    name = name.lstrip("<&*").replace("dyn ", "").replace("mut ", "").replace("const ", "")
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)", name)
    return m.group(1) if m else name[:30]


def main():
    path = sys.argv[1]
    top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    filt = sys.argv[3] if len(sys.argv) > 3 else None
    nimports, bodies, names = read(path)
    raw = [names.get(fi + nimports, "?") for fi in range(len(bodies))]
    dem = [re.sub(r"::h[0-9a-f]{16}$", "", re.sub(r"\[[0-9a-f]+\]", "", d)) for d in demangle(raw)]
    rows = [(sz, nm) for sz, nm in zip(bodies, dem) if filt is None or filt in nm]
    agg = collections.Counter()
    for sz, nm in rows:
        agg[crate_of(nm)] += sz
    print("total code", sum(sz for sz, _ in rows), "in", len(rows), "functions")
    for c, s in agg.most_common(20):
        print(f"{s:9} {c}")
    rows.sort(reverse=True)
    for s, n in rows[:top_n]:
        print(f"{s:8} {n[:170]}")


main()
