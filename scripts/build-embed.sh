#!/usr/bin/env bash
# Builds the embeddable renderer, the bundle a chat app loads: the JS API
# (`activate`, `connect`), every widget and connected mode, without the demo
# pages. Output: dist/embed/tulip-widgets.js, tulip-widgets_bg.wasm,
# snippets/ (the JS modules tulip-widgets.js imports, such as www/writes.js:
# serve the whole directory) and tulip-widgets.d.ts (TypeScript declarations).
#
#   ./scripts/build-embed.sh [OUT_DIR]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

OUT="${1:-$ROOT/dist/embed}"
LOCKED=()
if [ "${CI:-}" = true ]; then LOCKED=(--locked); fi

cargo build "${LOCKED[@]}" --target wasm32-unknown-unknown --profile wasm-release \
  -p tulip-widgets --lib --no-default-features
mkdir -p "$OUT"
wasm-bindgen --target web --out-dir "$OUT" --out-name tulip-widgets \
  "${CARGO_TARGET_DIR:-$ROOT/target}/wasm32-unknown-unknown/wasm-release/tulip_widgets.wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o "$OUT/tulip-widgets_bg.wasm" "$OUT/tulip-widgets_bg.wasm"
# The embedding example (www/embed/) goes beside the bundle.
cp "$ROOT"/www/embed/example.html "$ROOT"/www/embed/example.js "$OUT"/
# One stylesheet for the widgets (the files index.html lists as widget
# styles), and the chat page's, which the example borrows.
cat "$ROOT"/www/style.css "$ROOT"/www/anim.css "$ROOT"/www/frame.css \
  "$ROOT"/www/canvas.css "$ROOT"/www/cards.css "$ROOT"/www/map.css >"$OUT/tulip-widgets.css"
cp "$ROOT"/www/chat.css "$OUT"/
echo "embeddable bundle in $OUT"
