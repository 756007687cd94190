#!/usr/bin/env bash
# Installs the tools the build, tests and demo need; skips whatever is already
# present, so a second run takes a second or two. Safe to run unattended (CI).
#
#   rust targets/components  wasm32-unknown-unknown, rustfmt, clippy (rustup)
#   wasm-bindgen-cli         the version of wasm-bindgen in Cargo.lock (cargo install, ~5 min)
#   trunk                    0.21.14 (cargo install --locked, ~7 min)
#   wasm-opt                 binaryen 132 from npm, into .tools/ (a few seconds)
#   chromium + chromedriver  Debian packages (apt-get, ~1 min)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132

ok() { printf 'ok %s\n' "$*"; }
die() {
  printf 'setup: %s\n' "$*" >&2
  exit 1
}

# Run as root, or through sudo when it's available.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

APT_UPDATED=
apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# If a `cargo install CRATE` is already running (say, started by hand in another
# terminal), wait for it rather than building the same thing twice.
wait_for_cargo_install() {
  local crate=$1 pids
  pids=$(pgrep -f "^[^ ]*cargo install ${crate}( |\$)" || true)
  [ -n "$pids" ] || return 0
  printf '.. waiting for a running `cargo install %s` (pid %s) to finish\n' "$crate" "$(echo $pids)"
  while pgrep -f "^[^ ]*cargo install ${crate}( |\$)" >/dev/null; do sleep 5; done
}

# Installs a crate with cargo, timing it.
cargo_install() {
  local label=$1 start=$SECONDS
  shift
  printf '.. installing %s: cargo install %s\n' "$label" "$*"
  cargo install "$@" || die "cargo install $* failed"
  ok "$label (installed in $(fmt_duration $((SECONDS - start))))"
}

command -v rustup >/dev/null || die "rustup not found; install Rust from https://rustup.rs first"
command -v cargo >/dev/null || die "cargo not found on PATH (looked in ${CARGO_HOME:-$HOME/.cargo}/bin)"

# A C toolchain: some crates (ring, in trunk) compile C code.
if ! command -v cc >/dev/null; then
  apt_install build-essential pkg-config
  ok "build-essential (installed)"
fi

# --- Rust target and components -------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  ok "rust target wasm32-unknown-unknown (already installed)"
else
  rustup target add wasm32-unknown-unknown >/dev/null
  ok "rust target wasm32-unknown-unknown (installed)"
fi
for component in rustfmt clippy; do
  if rustup component list --installed | grep -q "^${component}"; then
    ok "rust component $component (already installed)"
  else
    rustup component add "$component" >/dev/null
    ok "rust component $component (installed)"
  fi
done

# --- wasm-bindgen-cli: must match the wasm-bindgen crate in Cargo.lock -----------
WASM_BINDGEN_VERSION=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$WASM_BINDGEN_VERSION" ] || die "could not find the wasm-bindgen version in Cargo.lock"
wasm_bindgen_ok() {
  [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] &&
    [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" = "wasm-bindgen-test-runner $WASM_BINDGEN_VERSION" ]
}
wasm_bindgen_ok || wait_for_cargo_install wasm-bindgen-cli
if wasm_bindgen_ok; then
  ok "wasm-bindgen-cli $WASM_BINDGEN_VERSION (already installed)"
else
  # No --locked: the CLI's own Cargo.lock names a crate version crates.io lacks.
  cargo_install "wasm-bindgen-cli $WASM_BINDGEN_VERSION" wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  wasm_bindgen_ok || die "wasm-bindgen-cli $WASM_BINDGEN_VERSION still not on PATH after installing"
fi

# --- trunk ----------------------------------------------------------------------
trunk_ok() { [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; }
trunk_ok || wait_for_cargo_install trunk
if trunk_ok; then
  ok "trunk $TRUNK_VERSION (already installed)"
else
  cargo_install "trunk $TRUNK_VERSION" trunk --version "$TRUNK_VERSION" --locked --force
  trunk_ok || die "trunk $TRUNK_VERSION still not on PATH after installing"
fi

# --- wasm-opt (binaryen) in .tools/ ---------------------------------------------
# Debian's binaryen is too old for the wasm that current Rust emits; the npm
# package ships the current release.
wasm_opt_ok() { wasm-opt --version 2>/dev/null | grep -q "(version_${BINARYEN_VERSION})"; }
if wasm_opt_ok; then
  ok "wasm-opt $BINARYEN_VERSION (already installed)"
else
  if ! command -v npm >/dev/null; then
    apt_install nodejs npm
  fi
  start=$SECONDS
  npm install --prefix "$ROOT/.tools" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION" >/dev/null
  hash -r
  wasm_opt_ok || die "wasm-opt $BINARYEN_VERSION not working after npm install (check .tools/)"
  ok "wasm-opt $BINARYEN_VERSION (installed in .tools/ in $(fmt_duration $((SECONDS - start))))"
fi

# --- chromium + chromedriver (browser tests, screenshots) -----------------------
# The colour emoji font: sprites, cards and map markers are often emoji, and
# screenshots of a machine without it show empty boxes.
if [ -x /usr/bin/chromium ] && command -v chromedriver >/dev/null && [ -d /usr/share/fonts/truetype/noto ] &&
  fc-list 2>/dev/null | grep -qi "Noto Color Emoji"; then
  ok "chromium + chromedriver + emoji font (already installed)"
else
  start=$SECONDS
  apt_install chromium chromium-driver fonts-noto-color-emoji fontconfig
  ok "chromium + chromedriver + emoji font (installed in $(fmt_duration $((SECONDS - start))))"
fi
