#!/usr/bin/env bash
# Builds the harness cdylib (what the renderer needs of tulip-core) and prints
# its size after wasm-opt -Oz: raw bytes and brotli (quality 11).
# Usage: tools/wasm-size/measure.sh [--top [N]]   (--top: the N largest functions
# of the optimized build too, and the file with names kept for wsize.py)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
wasm_opt="${WASM_OPT:-$(command -v wasm-opt || echo "$root/.tools/node_modules/.bin/wasm-opt")}"
(cd "$here" && cargo build --quiet --release --target wasm32-unknown-unknown)
in="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/coresize.wasm"
out="$(mktemp --suffix .wasm)"
"$wasm_opt" -Oz --strip-debug --strip-producers --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue "$in" -o "$out"
node -e 'const z=require("zlib");const b=require("fs").readFileSync(process.argv[1]);console.log(b.length,"raw",z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length,"brotli")' "$out"
rm -f "$out"
if [ "${1:-}" = "--top" ]; then
  # The same optimization, keeping the function names, to see where bytes go.
  named="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/coresize.opt-named.wasm"
  "$wasm_opt" -Oz -g --strip-producers --enable-bulk-memory \
    --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-reference-types --enable-multivalue "$in" -o "$named"
  python3 "$here/wsize.py" "$named" "${2:-25}"
fi
