#!/usr/bin/env bash
# The browser benchmark, printed: builds the release demo bundle and
# tulip-server, then runs crates/e2e/tests/bench.rs, which opens /#bench in
# headless Chromium, clicks every benchmark's Run button and prints every
# figure (`bench: name = value`) and the goal verdicts. Slow figures are
# reported, not failures; a broken page is a failure.
#
#   ./scripts/bench-browser.sh
#   TULIP_BENCH_SCREENSHOTS=/tmp/shots ./scripts/bench-browser.sh   # also screenshots
#
# Needs the tools of scripts/setup.sh (trunk, wasm-bindgen, wasm-opt,
# chromedriver and Chromium).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

command -v trunk >/dev/null || { echo "trunk is missing: run scripts/setup.sh" >&2; exit 1; }
command -v wasm-opt >/dev/null || { echo "wasm-opt is missing: run scripts/setup.sh" >&2; exit 1; }
command -v chromedriver >/dev/null || { echo "chromedriver is missing: run scripts/setup.sh" >&2; exit 1; }

TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"

echo "==== release bundle (trunk build --release)"
trunk build --release --offline
echo "==== tulip-server"
cargo build -p tulip-server
echo "==== benchmark (headless Chromium)"
TULIP_SERVER_BIN="$TARGET/debug/tulip-server" \
  TULIP_DIST="$ROOT/dist" \
  CHROMEDRIVER="$(command -v chromedriver)" \
  cargo test -p tulip-e2e --test bench -- --ignored --nocapture --test-threads=1
