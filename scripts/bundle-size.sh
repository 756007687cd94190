#!/usr/bin/env bash
# Reports the size of the release bundle in dist/ (the renderer's wasm, its
# JS glue and the JS snippets the glue imports, raw and brotli-compressed
# at quality 11) and fails when the compressed total passes the budget.
#
#   ./scripts/bundle-size.sh            # after `trunk build --release`
#   BUDGET_BYTES=150000 ./scripts/bundle-size.sh
#
# GOAL_BYTES (150 KB, the product's goal) is always reported, met or not;
# BUDGET_BYTES (default: the goal) is the limit that fails the run.
# scripts/test.sh sets BUDGET_BYTES to a ratchet just above today's size
# while the goal is not met (docs/renderer.md, "Size").
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

GOAL_BYTES="${GOAL_BYTES:-150000}"
BUDGET_BYTES="${BUDGET_BYTES:-$GOAL_BYTES}"
DIST="${1:-$ROOT/dist}"

shopt -s nullglob
files=("$DIST"/tulip-widgets*_bg.wasm "$DIST"/tulip-widgets*.js)
# The demo bundle's loader (the embeddable bundle has none).
if [ -f "$DIST/boot.js" ]; then files+=("$DIST/boot.js"); fi
# The JS modules the glue imports (`#[wasm_bindgen(module = ...)]`, such as
# www/writes.js), which wasm-bindgen puts under snippets/.
if [ -d "$DIST/snippets" ]; then
  while IFS= read -r f; do files+=("$f"); done < <(find "$DIST/snippets" -name '*.js' | sort)
fi
if ((${#files[@]} < 2)); then
  echo "bundle-size: no bundle in $DIST (run: trunk build --release --offline)" >&2
  exit 2
fi

node - "$BUDGET_BYTES" "$GOAL_BYTES" "${files[@]}" <<'JS'
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const [budget, goal, ...files] = process.argv.slice(2);
let raw = 0, br = 0;
for (const f of files) {
  const data = fs.readFileSync(f);
  const size = zlib.brotliCompressSync(data, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  }).length;
  raw += data.length;
  br += size;
  console.log(`  ${path.basename(f).padEnd(44)} ${String(data.length).padStart(9)} B raw ${String(size).padStart(8)} B brotli`);
}
const kb = (n) => (n / 1000).toFixed(1) + " KB";
console.log(`bundle: ${kb(raw)} raw, ${kb(br)} brotli (budget ${kb(Number(budget))})`);
console.log(br <= Number(goal)
  ? `goal ${kb(Number(goal))} brotli: met`
  : `goal ${kb(Number(goal))} brotli: NOT MET, ${kb(br - Number(goal))} over`);
if (br > Number(budget)) {
  console.error(`bundle-size: OVER BUDGET by ${kb(br - Number(budget))}`);
  process.exit(1);
}
JS
