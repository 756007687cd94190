// The DOM writes of one paint (src/writes.rs), made in one call from
// WebAssembly: each wasm-to-JS call costs far more than the DOM work of
// a short write, so the painter's writes cross once, as numbers.
//
//   els:   the elements written to (an op names one by its index here)
//   all:   every value of the paint, one string; an op cuts its value
//          out of it by UTF-16 span (start, end)
//   names: the attribute names (src/writes.rs ATTRS, in order)
//   ops:   four numbers per write: element, kind << 8 | attribute,
//          start, end. Kinds: 0 set attribute, 1 remove attribute,
//          2 empty the text, 3 set the text, 4 set the class.
//
// A write that throws (an attribute name the DOM refuses) is skipped; the
// others still happen.
export function tulipApplyWrites(els, all, names, ops) {
  let ls = -1;
  let le = -1;
  let lv = "";
  const cut = (s, e) => {
    // Consecutive writes often share a value (a row's data-y).
    if (s !== ls || e !== le) {
      ls = s;
      le = e;
      lv = all.substring(s, e);
    }
    return lv;
  };
  for (let i = 0; i + 3 < ops.length; i += 4) {
    const el = els[ops[i]];
    if (!el) continue;
    const kind = ops[i + 1] >> 8;
    const name = names[ops[i + 1] & 255];
    try {
      switch (kind) {
        case 0:
          el.setAttribute(name, cut(ops[i + 2], ops[i + 3]));
          break;
        case 1:
          el.removeAttribute(name);
          break;
        case 2:
          el.textContent = "";
          break;
        case 3:
          el.textContent = cut(ops[i + 2], ops[i + 3]);
          break;
        case 4:
          el.className = cut(ops[i + 2], ops[i + 3]);
          break;
      }
    } catch (_) {
      // Skipped, as the Rust side's `let _ =` did.
    }
  }
}
