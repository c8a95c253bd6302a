#!/usr/bin/env bash
# Depend on the packaged `yurt` crate from a scratch project OUTSIDE the repository, as the
# README's "Depend on it" section says, build the README's five-minute driver there and launch
# it as Nomad would (magic cookie set): it must print go-plugin's handshake line. Then runs the
# README's test (yurt::testing::launch, plain and AutoMTLS) there.
#   usage: check-outside.sh        (after `cargo package -p yurt`, which make package runs)
set -euo pipefail
sdk=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$sdk/.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$sdk/yurt/Cargo.toml" | head -1)
target=${CARGO_TARGET_DIR:-$root/target}
crate="$target/package/yurt-$version.crate"
[ -f "$crate" ] || { echo "no $crate: run 'make -C sdk-rust package' first" >&2; exit 1; }
scratch=$(mktemp -d)
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$scratch"; }
trap cleanup EXIT
case "$scratch/" in "$root"/*) echo "scratch dir $scratch is inside the repository" >&2; exit 1;; esac

t0=$SECONDS
tar -xzf "$crate" -C "$scratch"
mkdir -p "$scratch/my-driver/src"
# The dependencies as the README's "Depend on it" block lists them, with the path form.
{
	printf '[package]\nname = "my-driver"\nversion = "0.1.0"\nedition = "2024"\n\n[workspace]\n\n'
	sed -n '/^## Depend on it/,/^## /{/^```toml$/,/^```$/p}' "$sdk/README.md" | sed '1d;$d' |
		sed "s|^yurt = .*|yurt = { path = \"$scratch/yurt-$version\" }|; /^# yurt = /d"
} >"$scratch/my-driver/Cargo.toml"
grep -q '^\[dependencies\]' "$scratch/my-driver/Cargo.toml" || { echo "README: no [dependencies] block under 'Depend on it'" >&2; exit 1; }
# The README's five-minute driver, verbatim.
# (the section's first rust block)
awk '/^## Write a driver in five minutes/ {s = 1} s && /^```rust/ {b = 1; next} b && /^```$/ {exit} b' \
	"$sdk/README.md" >"$scratch/my-driver/src/main.rs"
grep -q 'fn main' "$scratch/my-driver/src/main.rs" || { echo "README: no driver block with fn main" >&2; exit 1; }
# The README's test, verbatim: yurt::testing with no tonic/rustls/rcgen in the dependencies.
mkdir -p "$scratch/my-driver/tests"
awk '/^### Test it/ {s = 1} s && /^```rust/ {b = 1; next} b && /^```$/ {exit} b' \
	"$sdk/README.md" >"$scratch/my-driver/tests/launch.rs"
grep -q 'testing::launch' "$scratch/my-driver/tests/launch.rs" || { echo "README: no test block under 'Test it'" >&2; exit 1; }
# The repository's lock file pins the same versions CI tests (cargo drops what is unused).
cp "$root/Cargo.lock" "$scratch/my-driver/Cargo.lock"
(cd "$scratch/my-driver" && CARGO_TARGET_DIR="$target/outside" cargo build -q -j "${JOBS:-2}")
bin="$target/outside/debug/my-driver"
echo "built the README driver against the packaged crate in $((SECONDS - t0))s"
(cd "$scratch/my-driver" && CARGO_TARGET_DIR="$target/outside" cargo test -q -j "${JOBS:-2}" --test launch)

# The cookie from its one source, spec/handshake.json.
cookie=$(sed -n 's/^ *"magic_cookie_value": *"\([0-9a-f]*\)".*/\1/p' "$root/spec/handshake.json")
[ -n "$cookie" ] || { echo "no magic_cookie_value in $root/spec/handshake.json" >&2; exit 1; }
NOMAD_PLUGIN_MAGIC_COOKIE=$cookie \
	PLUGIN_PROTOCOL_VERSIONS=2 PLUGIN_MIN_PORT=10000 PLUGIN_MAX_PORT=25000 \
	"$bin" >"$scratch/stdout" 2>"$scratch/stderr" &
pid=$!
for _ in $(seq 1 200); do
	[ -s "$scratch/stdout" ] && grep -q $'\n' "$scratch/stdout" && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
line=$(head -1 "$scratch/stdout")
case $line in
1\|2\|unix\|/*\|grpc\|*) echo "ok: handshake '$line'" ;;
*) echo "no handshake line from the README driver (got '$line'); stderr:" >&2; cat "$scratch/stderr" >&2; exit 1 ;;
esac
