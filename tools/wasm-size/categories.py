#!/usr/bin/env python3
"""Code size of a wasm file (with names) by category of function name.
Usage: categories.py FILE.wasm"""
import collections
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
ns = {}
exec(open(os.path.join(here, "wsize.py")).read().replace("\nmain()\n", "\n"), ns)
n, bodies, names = ns["read"](sys.argv[1])
raw = [names.get(i + n, "?") for i in range(len(bodies))]
dem = [re.sub(r"::h[0-9a-f]{16}$", "", re.sub(r"\[[0-9a-f]+\]", "", d)) for d in ns["demangle"](raw)]
rules = [
    ("decode (FromJson)", r"FromJson|decode_fields|from_json|json::(decode|put|each_)"),
    ("encode (ToJson/Fields)", r"Fields|ToJson|json::to_value|Items"),
    ("serde Serialize", r"Serialize|serialize|Serializer"),
    ("serde_json parse", r"serde_json::(de|read)|Deserializer|Deserialize"),
    ("validate", r"validate::"),
    ("apply", r"apply::"),
    ("diff", r"diff::"),
    ("update", r"update::"),
    ("parse", r"parse::"),
    ("clone", r"Clone>::clone|clone"),
    ("drop", r"drop_in_place|Drop"),
    ("eq", r"PartialEq|::eq"),
    ("btree", r"btree"),
    ("sorted map", r"sorted::|SortedMap"),
    ("float fmt", r"flt2dec|fmt::float|f64 as core::fmt"),
    ("fmt", r"fmt::|Display|Debug|format"),
    ("alloc/vec", r"alloc::|RawVec|Vec<"),
    ("color/url", r"color::|url::"),
    ("sort", r"sort"),
    ("dlmalloc", r"dlmalloc"),
]
cat = collections.Counter()
cnt = collections.Counter()
for s, d in zip(bodies, dem):
    for name, rx in rules:
        if re.search(rx, d):
            break
    else:
        name = "other"
    cat[name] += s
    cnt[name] += 1
print(f"{sum(bodies):8} total")
for k, v in cat.most_common():
    print(f"{v:8} {cnt[k]:5} {k}")
