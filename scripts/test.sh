#!/usr/bin/env bash
# THE test command: installs what's missing (scripts/setup.sh), then runs every
# check CI runs, in order, stopping at the first failure.
#
#   ./scripts/test.sh                  all steps
#   ./scripts/test.sh fmt clippy       only the named steps
#   ./scripts/test.sh --list           list the steps
#
# Environment: PROPTEST_CASES (default 1000), CI=true (adds --locked to cargo).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

export PROPTEST_CASES="${PROPTEST_CASES:-1000}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}"

# In CI the committed Cargo.lock must already be up to date.
LOCKED=()
if [ "${CI:-}" = true ]; then LOCKED=(--locked); fi

WASM=wasm32-unknown-unknown

# --- steps (add new ones here and to STEPS below) -------------------------------

step_setup() { "$ROOT/scripts/setup.sh"; }

step_fmt() { cargo fmt --all --check; }

step_clippy() { cargo clippy "${LOCKED[@]}" --workspace --all-targets -- -D warnings; }

# The crates that are compiled to wasm: the renderer (lib and its browser
# tests) and core. The cli crate is native-only.
step_clippy_wasm() {
  cargo clippy "${LOCKED[@]}" --target "$WASM" -p tulip-widgets -p tulip-core --lib -- -D warnings
  cargo clippy "${LOCKED[@]}" --target "$WASM" -p tulip-widgets --tests -- -D warnings
  # The embeddable bundle: the renderer without the demo pages.
  cargo clippy "${LOCKED[@]}" --target "$WASM" -p tulip-widgets --lib --no-default-features -- -D warnings
}

step_test() { cargo test "${LOCKED[@]}" --workspace; }

# Chromium's profile folders (about 90 MB each) are left behind by every
# WebDriver session the test runners end; they go in a scratch TMPDIR that is
# removed after the step.
with_scratch_tmp() {
  local scratch rc=0
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/tulip-test.XXXXXX")
  TMPDIR="$scratch" "$@" || rc=$?
  rm -rf "$scratch"
  return "$rc"
}

# wasm-bindgen-test in headless Chromium; browser flags come from webdriver.json.
step_browser() { with_scratch_tmp browser_tests; }
browser_tests() {
  CHROMEDRIVER="$(command -v chromedriver)" \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/webdriver.json" \
    cargo test "${LOCKED[@]}" --target "$WASM" -p tulip-widgets
}

# The demo bundle must build (release profile wasm-release, wasm-opt -Oz),
# and so must the embeddable bundle, whose size is reported and checked
# against the budget (scripts/bundle-size.sh, docs/renderer.md "Size").
step_bundle() {
  trunk build --release --offline
  "$ROOT/scripts/build-embed.sh"
  # The goal is 150 KB brotli and is NOT met yet (362 KB on 2026-12-02; see
  # docs/renderer.md "Size"): the script reports the goal every run, and
  # fails above this ratchet, so the bundle cannot grow unnoticed. Lower it
  # as the bundle shrinks.
  BUDGET_BYTES="${BUDGET_BYTES:-345000}" "$ROOT/scripts/bundle-size.sh" "$ROOT/dist/embed"
}

# End to end: the real server serving the demo bundle, driven through real
# Chromium by WebDriver (crates/e2e, docs/e2e.md). Needs the bundle step.
# The benchmark page runs too, shortened (TULIP_BENCH_UPDATES=20): here it
# only has to work; scripts/bench-browser.sh takes the figures.
step_e2e() { with_scratch_tmp e2e_tests; }
e2e_tests() {
  cargo build "${LOCKED[@]}" -p tulip-server || return
  TULIP_SERVER_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/tulip-server" \
    TULIP_DIST="$ROOT/dist" \
    CHROMEDRIVER="$(command -v chromedriver)" \
    TULIP_BENCH_UPDATES="${TULIP_BENCH_UPDATES:-20}" \
    cargo test "${LOCKED[@]}" --no-fail-fast -p tulip-e2e -- --ignored --test-threads=1
}

STEPS=(setup fmt clippy clippy-wasm test browser bundle e2e)

# --- runner ----------------------------------------------------------------------

if [ "${1:-}" = --list ]; then
  printf '%s\n' "${STEPS[@]}"
  exit 0
fi
SELECTED=("$@")
for name in "${SELECTED[@]}"; do
  [[ " ${STEPS[*]} " == *" $name "* ]] || {
    echo "unknown step: $name (steps: ${STEPS[*]})" >&2
    exit 2
  }
done

SUMMARY=()
PASSED=0
TOTAL_START=$SECONDS

summary() {
  local status=$1
  echo
  echo "==== summary"
  printf '  %s\n' "${SUMMARY[@]}"
  echo "==== test.sh: $status in $(fmt_duration $((SECONDS - TOTAL_START)))"
}

# step NAME: runs step_NAME (dashes become underscores) in a subshell with
# errexit on, times it and records the result; exits on failure.
step() {
  local name=$1 start=$SECONDS rc=0
  if ((${#SELECTED[@]})) && [[ " ${SELECTED[*]} " != *" $name "* ]]; then
    SUMMARY+=("skip  $name")
    return 0
  fi
  printf '\n==== %s\n' "$name"
  set +e
  (
    set -e
    "step_${name//-/_}"
  )
  rc=$?
  set -e
  local took
  took=$(fmt_duration $((SECONDS - start)))
  if ((rc == 0)); then
    SUMMARY+=("ok    $name ($took)")
    PASSED=$((PASSED + 1))
  else
    SUMMARY+=("FAIL  $name ($took, exit $rc)")
    summary "FAILED at step '$name'"
    exit "$rc"
  fi
}

for name in "${STEPS[@]}"; do step "$name"; done
summary "$PASSED of ${#STEPS[@]} steps run, all passed"
