#!/usr/bin/env bash
# Proves `make check-generated` can fail: edits a generated file by hand,
# expects the check to fail and name the file, and expects the regeneration it
# performs to restore the file exactly.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=go/gen/basepb/base.pb.go
original=$(sha256sum "$target")
echo "// edited by hand" >> "$target"
if out=$(make --no-print-directory check-generated 2>&1); then
  echo "generated guard: FAIL: check-generated passed after a hand edit of $target" >&2
  exit 1
fi
grep -q "$target" <<<"$out" || { echo "generated guard: FAIL: the error does not name $target:" >&2; echo "$out" >&2; exit 1; }
[ "$(sha256sum "$target")" = "$original" ] || { echo "generated guard: FAIL: $target was not restored" >&2; exit 1; }
echo "generated guard: ok (a hand edit of $target is caught and undone)"
