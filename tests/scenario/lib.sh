# SPDX-License-Identifier: BSD-3-Clause
# Shared by the scenario tests: V6SHARE, V6GEN and CHECK come from meson.
set -euo pipefail
: "${V6SHARE:?}" "${V6GEN:?}"
CHECK="$(dirname "$0")/check.py"
WORK=$(mktemp -d /tmp/v6share-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
step() { echo "== $*"; }
die() { echo "FAIL: $*"; exit 1; }
# expect_fail NEEDLE CMD...: the command must fail and say NEEDLE on stderr
expect_fail() {
	local needle=$1; shift
	if "$@" >"$WORK/out" 2>"$WORK/err"; then die "expected failure: $*"; fi
	grep -qF -- "$needle" "$WORK/err" || { cat "$WORK/err"; die "stderr lacks: $needle"; }
	echo "ok: fails with: $(head -1 "$WORK/err")"
}
