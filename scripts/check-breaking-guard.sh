#!/usr/bin/env bash
# Proves the contract guard can fail: renumbers one field in a scratch copy of
# proto/ and expects `buf breaking` against the committed baseline to name it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
buf="$root/build/bin/buf"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cp -r "$root/proto" "$root/buf.yaml" "$scratch/"
file="$scratch/proto/hashicorp/nomad/plugins/drivers/proto/task.proto"
grep -q '  bytes msgpack_driver_config = 3;' "$file"
sed -i 's/  bytes msgpack_driver_config = 3;/  bytes msgpack_driver_config = 33;/' "$file"

(cd "$scratch" && "$buf" lint) || { echo "breaking guard: buf lint failed on the scratch copy itself" >&2; exit 1; }
if out=$(cd "$scratch" && "$buf" breaking --against "$root/baseline/nomad-plugin-api-v0.1.0.binpb" 2>&1); then
  echo "breaking guard: FAIL: renumbering TaskConfig.msgpack_driver_config was not reported" >&2
  exit 1
fi
if ! grep -q 'TaskConfig' <<<"$out"; then
  echo "breaking guard: FAIL: buf objected, but not about TaskConfig:" >&2
  echo "$out" >&2
  exit 1
fi
echo "breaking guard: ok (buf breaking rejects a renumbered field):"
sed 's/^/  /' <<<"$out"
