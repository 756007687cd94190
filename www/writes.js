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
//          2 empty the text, 3 set the text, 4 set the class, 5 write
//          the inline style declarations "name:value;..." (longhand
//          names; "name:;" removes one) through CSSOM, property by
//          property.
//
// Two choices here are for the browser's sake (docs/renderer.md,
// "Speed"): a text is written into the element's one text node when it
// has one (textContent would replace the node), and a style property by
// property: Chromium restyles an element whose inline style changed
// through CSSOM much faster than one whose style attribute was written.
//
// A write that throws (an attribute name the DOM refuses) is skipped; the
// others still happen.
// Writes the declarations `decls` ("name:value;...") into the inline
// style `st`, each with setProperty; an empty value removes the property.
// (Nothing is read back from `st`: reading its items made restyling
// slower again.)
function setStyle(st, decls) {
  let from = 0;
  while (from < decls.length) {
    const colon = decls.indexOf(":", from);
    if (colon < 0) break;
    let end = decls.indexOf(";", colon);
    if (end < 0) end = decls.length;
    st.setProperty(decls.substring(from, colon), decls.substring(colon + 1, end));
    from = end + 1;
  }
}

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
        case 3: {
          const t = el.firstChild;
          if (t !== null && t.nodeType === 3 && t.nextSibling === null) {
            t.data = cut(ops[i + 2], ops[i + 3]);
          } else {
            el.textContent = cut(ops[i + 2], ops[i + 3]);
          }
          break;
        }
        case 4:
          el.className = cut(ops[i + 2], ops[i + 3]);
          break;
        case 5:
          setStyle(el.style, cut(ops[i + 2], ops[i + 3]));
          break;
      }
    } catch (_) {
      // Skipped, as the Rust side's `let _ =` did.
    }
  }
}
