# Shared environment for the scripts in this folder. Source it, don't run it:
#   . "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# Sets ROOT (the repository root), cds there and puts the project's tools on PATH.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
cd "$ROOT"

# cargo-installed tools (wasm-bindgen, wasm-bindgen-test-runner, trunk) and the
# project-local npm tools (wasm-opt from binaryen) installed by scripts/setup.sh.
case ":$PATH:" in *":$ROOT/.tools/node_modules/.bin:"*) ;; *) PATH="$ROOT/.tools/node_modules/.bin:$PATH" ;; esac
case ":$PATH:" in *":${CARGO_HOME:-$HOME/.cargo}/bin:"*) ;; *) PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" ;; esac
export PATH

# Panic locations in dependencies name their source files; in the wasm that
# the browser downloads they would carry this machine's cargo folder. Every
# wasm build of the scripts maps it to `/cargo` (the same flags everywhere,
# so cargo's cache holds one build of each crate).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:---remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo}"

# Pretty-print a number of seconds: 75 -> 1m15s.
fmt_duration() {
  local s=$1
  if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}
