// The browser benchmark's baseline: the same grid DOM that the renderer
// draws (same elements, classes, attributes and inline styles), built and
// patched by hand in plain JavaScript, the way a careful vanilla
// implementation would: elements kept in an array by index, one delegated
// click listener, JSON.parse of the update, then only the cells it names
// touched. Every call ends by reading offsetHeight, which forces style and
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

function style(cell) {
  let s = "";
  if (cell && cell.bg) s += `background:${cell.bg};`;
  if (cell && cell.fg) s += `color:${cell.fg};`;
  return s;
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

/** Builds the whole grid into `container` and forces layout. */
export function baselineMount(container) {
  const g = payload.extra_data;
  const width = g.width;
  const height = g.height;
  const byIndex = new Array(width * height);
  for (const c of g.cells || []) byIndex[c.y * width + c.x] = c;

  const host = el("div", "tulip-host");
  host.setAttribute("data-version", "1");
  host.setAttribute("data-stale", "false");
  const widget = el("div", "tulip-widget tulip-widget--grid");
  widget.setAttribute("data-widget-type", "grid");
  const grid = el("div", "tulip-grid");
  grid.setAttribute("role", "grid");
  grid.setAttribute("aria-rowcount", String(height));
  grid.setAttribute("aria-colcount", String(width));
  let gridStyle = `--tulip-cols:${width};--tulip-cell:${g.cell_size || 32}px;`;
  if (g.default_bg) gridStyle += `--tulip-cell-bg:${g.default_bg};`;
  grid.setAttribute("style", gridStyle);

  const cells = new Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = el("div", "tulip-grid__row");
    row.setAttribute("role", "row");
    for (let x = 0; x < width; x++) {
      const c = byIndex[y * width + x];
      const content = (c && c.content) || "";
      const cell = el("div", "tulip-grid__cell");
      cell.setAttribute("role", "gridcell");
      cell.setAttribute("data-x", String(x));
      cell.setAttribute("data-y", String(y));
      cell.setAttribute("aria-label", label(x, y, content));
      cell.setAttribute("style", style(c));
      cell.textContent = content;
      row.appendChild(cell);
      cells[y * width + x] = cell;
    }
    grid.appendChild(row);
  }
  if (g.on_cell_click) {
    grid.addEventListener("click", (e) => {
      const cell = e.target.closest("[role=gridcell]");
      if (cell) host.dispatchEvent(new CustomEvent("baseline-click", { detail: cell.dataset }));
    });
  }
  widget.appendChild(grid);
  host.appendChild(widget);
  const notices = el("div", "tulip-host__notices");
  notices.setAttribute("aria-live", "polite");
  host.appendChild(notices);
  container.appendChild(host);
  mounted = { root: host, cells, width, version: 1 };
  return container.offsetHeight;
}

/** Applies an update (JSON text of `{"set_cells": [...]}`) and forces layout. */
export function baselineUpdate(json) {
  const u = JSON.parse(json);
  const m = mounted;
  for (const c of u.set_cells || []) {
    const cell = m.cells[c.y * m.width + c.x];
    const content = c.content || "";
    cell.textContent = content;
    cell.setAttribute("style", style(c));
    cell.setAttribute("aria-label", label(c.x, c.y, content));
  }
  m.version += 1;
  m.root.setAttribute("data-version", String(m.version));
  return m.root.parentNode.offsetHeight;
}

/** Removes the grid. */
export function baselineUnmount() {
  if (mounted) mounted.root.remove();
  mounted = null;
}
