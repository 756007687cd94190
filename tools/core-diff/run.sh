#!/usr/bin/env bash
# Differential test of tulip-core: runs this tree's core and the core of a
# past commit (default: the first commit of the size work's base) on the
# fixtures, full samples of every kind and many mutations of them, and
# reports every difference in results, errors (code, path, message) and
# serialized output.
#   tools/core-diff/run.sh [COMMIT] [-- ARGS]   ARGS: [CASES_PER_SEED] [SHOW]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
base=75223a6
if [ $# -gt 0 ] && [ "$1" != "--" ]; then base=$1; shift; fi
if [ "${1:-}" = "--" ]; then shift; fi
rm -rf "$here/base" && mkdir -p "$here/base"
git -C "$root" archive "$base" crates/core | tar -x -C "$here/base"
rm -rf "$here/base/crates/core/"{benches,fuzz,tests}
python3 - "$here/base/crates/core/Cargo.toml" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read().split("[dev-dependencies]")[0]
s = s.replace('name = "tulip-core"', 'name = "tulip-core-old"')
s = re.sub(r'^(edition|rust-version|license|version)\.workspace = true\n', '', s, flags=re.M)
s = s.replace('[package]\n', '[package]\nedition = "2021"\nversion = "0.1.0"\n', 1)
s = s.replace('serde.workspace = true', 'serde = { version = "1", features = ["derive"] }')
s = s.replace('serde_json.workspace = true', 'serde_json = { version = "1", features = ["raw_value"] }')
s = s.replace('thiserror.workspace = true', 'thiserror = "2"')
open(p, "w").write(s)
PY
[ -f "$here/Cargo.lock" ] || cp "$root/Cargo.lock" "$here/Cargo.lock"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cd "$here" && cargo run --quiet --release -- "$root/crates/core/tests/fixtures" "$@"
