// The browser benchmark's baseline: the same grid DOM that the renderer
// draws (same elements, classes, attributes and inline styles), built and
// patched by hand in plain JavaScript, the way a careful vanilla
// implementation would: elements kept in an array by index, one delegated
// click listener, the same windowing of a big grid, JSON.parse of the
// update, then only the cells it names touched. Every call ends by reading offsetHeight, which forces style and
// layout, exactly like the renderer's measurement.
//
// Loaded by wasm-bindgen as a module snippet (src/bench/run.rs), so it runs
// under the page's CSP (script-src 'self'): no inline script, no eval.

let payload = null; // the parsed grid payload
let mounted = null; // { root, cells, width, version }

function columnName(x) {
  let out = "";
  for (;;) {
    out = String.fromCharCode(65 + (x % 26)) + out;
    if (x < 26) return out;
    x = Math.floor(x / 26) - 1;
  }
}

function label(x, y, content) {
  const where = columnName(x) + (y + 1);
  return content ? `${where}, ${content}` : `${where}, empty`;
}

// Styles and texts are written the way the renderer writes them
// (www/writes.js): inline style properties one by one through CSSOM
// (Chromium restyles that much faster than a written style attribute),
// and a text into the cell's text node when it has one.
function applyStyle(el, cell) {
  const st = el.style;
  if (cell && cell.bg) st.setProperty("background-color", cell.bg);
  else st.removeProperty("background-color");
  if (cell && cell.fg) st.setProperty("color", cell.fg);
  else st.removeProperty("color");
}

function setText(el, s) {
  const t = el.firstChild;
  if (t !== null && t.nodeType === 3 && t.nextSibling === null) t.data = s;
  else el.textContent = s;
}

function el(tag, cls) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  return e;
}

/** Keeps the payload (JSON text) for the mounts; not timed. */
export function baselinePrepare(json) {
  payload = JSON.parse(json);
}

// Like the renderer (src/grid/paint.rs), a grid of more than 2,500 cells is
// windowed: every row is in the document, but only the rows in the scroll
// box's view get their cells at once; the others are empty placeholders of
// the same height that an IntersectionObserver builds when they come within
// half a box height of the view. Cells of rows not built are kept as data.
const WINDOWED_ABOVE = 2500;
const GAP = 2;

function buildRow(m, y) {
  const old = m.rows[y];
  if (!old || !old.classList.contains("tulip-grid__row--unbuilt")) return;
  const row = el("div", "tulip-grid__row");
  row.setAttribute("role", "row");
  if (m.windowed) row.setAttribute("aria-rowindex", String(y + 1));
  for (let x = 0; x < m.width; x++) {
    const c = m.data[y * m.width + x];
    const content = (c && c.content) || "";
    const cell = el("div", "tulip-grid__cell");
    cell.setAttribute("role", "gridcell");
    cell.setAttribute("data-x", String(x));
    cell.setAttribute("data-y", String(y));
    cell.setAttribute("aria-label", label(x, y, content));
    applyStyle(cell, c);
    cell.textContent = content;
    row.appendChild(cell);
    m.cells[y * m.width + x] = cell;
  }
  if (m.observer) m.observer.unobserve(old);
  old.replaceWith(row);
  m.rows[y] = row;
}

/** Builds the grid (a windowed one: its rows in view) into `container` and forces layout. */
export function baselineMount(container) {
  const g = payload.extra_data;
  const width = g.width;
  const height = g.height;
  const size = g.cell_size || 32;
  const data = new Array(width * height);
  for (const c of g.cells || []) data[c.y * width + c.x] = c;

  const host = el("div", "tulip-host");
  host.setAttribute("data-version", "1");
  host.setAttribute("data-stale", "false");
  const widget = el("div", "tulip-widget tulip-widget--grid");
  widget.setAttribute("data-widget-type", "grid");
  const scroll = el("div", "tulip-grid-scroll");
  const grid = el("div", "tulip-grid");
  grid.setAttribute("role", "grid");
  grid.setAttribute("aria-rowcount", String(height));
  grid.setAttribute("aria-colcount", String(width));
  let gridStyle = `--tulip-cols:${width};--tulip-cell:${size}px;`;
  if (g.default_bg) gridStyle += `--tulip-cell-bg:${g.default_bg};`;
  grid.setAttribute("style", gridStyle);

  const m = {
    root: host,
    cells: new Array(width * height),
    rows: [],
    data,
    width,
    version: 1,
    windowed: width * height > WINDOWED_ABOVE,
    observer: null,
  };
  for (let y = 0; y < height; y++) {
    const row = el("div", "tulip-grid__row tulip-grid__row--unbuilt");
    row.setAttribute("aria-hidden", "true");
    row.dataset.row = String(y);
    grid.appendChild(row);
    m.rows.push(row);
  }
  if (g.on_cell_click) {
    grid.addEventListener("click", (e) => {
      const cell = e.target.closest("[role=gridcell]");
      if (cell) host.dispatchEvent(new CustomEvent("baseline-click", { detail: cell.dataset }));
    });
  }
  scroll.appendChild(grid);
  widget.appendChild(scroll);
  host.appendChild(widget);
  const notices = el("div", "tulip-host__notices");
  notices.setAttribute("aria-live", "polite");
  host.appendChild(notices);
  container.appendChild(host);
  let from = 0;
  let to = height;
  if (m.windowed) {
    const view = scroll.clientHeight;
    const pitch = size + GAP;
    const top = scroll.scrollTop - GAP;
    const clamp = (r) => Math.min(Math.max(r, 0), height);
    from = view > 0 ? clamp(Math.floor(top / pitch)) : 0;
    to = view > 0 ? clamp(Math.floor((top + view) / pitch) + 1) : 0;
  }
  for (let y = from; y < to; y++) buildRow(m, y);
  // As the renderer: the row of the cell that takes focus (the first) too.
  buildRow(m, 0);
  if (m.windowed) {
    m.observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) if (e.isIntersecting) buildRow(m, Number(e.target.dataset.row));
      },
      { root: scroll, rootMargin: "50% 0px" },
    );
    for (const row of m.rows) {
      if (row.classList.contains("tulip-grid__row--unbuilt")) m.observer.observe(row);
    }
  }
  mounted = m;
  return container.offsetHeight;
}

/** Applies an update (JSON text of `{"set_cells": [...]}`) and forces layout. */
export function baselineUpdate(json) {
  const t0 = performance.now();
  const u = JSON.parse(json);
  const t1 = performance.now();
  const m = mounted;
  for (const c of u.set_cells || []) {
    const i = c.y * m.width + c.x;
    m.data[i] = c;
    const cell = m.cells[i];
    if (!cell) continue; // its row is not built: drawn from data when it is
    const content = c.content || "";
    setText(cell, content);
    applyStyle(cell, c);
    cell.setAttribute("aria-label", label(c.x, c.y, content));
  }
  m.version += 1;
  m.root.setAttribute("data-version", String(m.version));
  const t2 = performance.now();
  const h = m.root.parentNode.offsetHeight;
  lastPhases = [t1 - t0, t2 - t1, performance.now() - t2];
  return h;
}

// The phases of the last update, in ms: [JSON.parse, the writes, style and
// layout]; the renderer's are cut the same way (src/bench/run.rs).
let lastPhases = [0, 0, 0];

export function baselineLastPhases() {
  return lastPhases;
}

/** Removes the grid. */
export function baselineUnmount() {
  if (mounted && mounted.observer) mounted.observer.disconnect();
  if (mounted) mounted.root.remove();
  mounted = null;
}
