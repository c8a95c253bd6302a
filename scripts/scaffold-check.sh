#!/usr/bin/env bash
# `yurt new` end to end, as a plugin author outside the repository would use it: for each of
# the six language/kind pairs, generate a project in a scratch directory (mktemp -d, outside
# the repository), build it with its own Makefile, run its own tests, and run yurt-conformance
# on what `make build` wrote for plugin_dir, plain (Nomad's way) and with AutoMTLS (--mtls).
# Every Required case must pass. Then every code block of the READMEs must be part of a
# generated project (scripts/check_readme_snippets.py).
#
# Each SDK is installed from what it ships as: Python from the wheel `make -C sdk-python dist`
# builds; Rust from the crates `cargo package` builds (yurt and its dependency yurt-supervise),
# unpacked into $CARGO_TARGET_DIR/package/<crate>-<version>, so a file the package leaves out
# fails here; Go through a replace onto this checkout's go/ module (Go ships modules as source
# trees). `yurt new --yurt-source` writes the Go replace and the Rust projects' first Cargo.lock
# (this checkout's, so the crate versions are the tested ones); this script then points the
# Rust projects' `yurt` dependency at the unpacked package. The two Rust projects build in one
# shared target dir, $CARGO_TARGET_DIR or target/ here, in the dev profile: registry crates are
# compiled once (features differ from the workspace's, so the first run compiles them again) and
# reused by every later run. The two Python projects share one venv.
#
# Usage: scripts/scaffold-check.sh [LANG/KIND ...]   (default: all six)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'scaffold-check: error: %s\n' "$*" >&2; exit 1; }

pairs=("$@")
[ ${#pairs[@]} -gt 0 ] || pairs=(go/driver go/device python/driver python/device rust/driver rust/device)
t_all=$SECONDS

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
case "$scratch/" in "$root"/*) die "scratch dir $scratch is inside the repository";; esac

say "build yurt and yurt-conformance"
mkdir -p build/bin
(cd go && go build -o "$root/build/bin/yurt" ./cmd/yurt)
make --no-print-directory -C conformance build >&2
yurt=$root/build/bin/yurt
harness=$root/build/bin/yurt-conformance

need_python=0
for p in "${pairs[@]}"; do [[ $p == python/* ]] && need_python=1; done
wheel=
if [ "$need_python" = 1 ]; then
	say "build the Python SDK wheel"
	make --no-print-directory -C sdk-python dist >"$scratch/dist.log" 2>&1 || { cat "$scratch/dist.log" >&2; exit 1; }
	wheel=$(ls sdk-python/dist/yurt_sdk-*-py3-none-any.whl)
	wheel=$root/$wheel
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
need_rust=0
for p in "${pairs[@]}"; do [[ $p == rust/* ]] && need_rust=1; done
crate_version() { sed -n 's/^version = "\(.*\)"/\1/p' "sdk-rust/$1/Cargo.toml" | head -1; }
packages=$CARGO_TARGET_DIR/package
yurt_pkg=$packages/yurt-$(crate_version yurt)
supervise_pkg=$packages/yurt-supervise-$(crate_version yurt-supervise)
if [ "$need_rust" = 1 ]; then
	say "cargo package the Rust SDK (${supervise_pkg##*/}, ${yurt_pkg##*/})"
	# --no-verify: cargo's own check builds the packaged crates once more in a tree of their
	# own (every dependency again: ~12 min on two cores); the projects below build, test and
	# run the unpacked package instead, which checks more. --allow-dirty: the package is made
	# from the working tree under test, committed or not.
	cargo package --locked --no-verify --allow-dirty -q -p yurt-supervise -p yurt \
		>"$scratch/package.log" 2>&1 || { cat "$scratch/package.log" >&2; exit 1; }
	for pkg in "$supervise_pkg" "$yurt_pkg"; do
		rm -rf "$pkg"
		tar -xzf "$pkg.crate" -C "$packages"
	done
fi
export PEX_ROOT=$scratch/pex # the shipped executable unpacks itself from scratch
# The projects' tests, builds and harness runs keep their temp files and sockets in scratch.
mkdir "$scratch/tmp"
export TMPDIR=$scratch/tmp
declare -A secs counts
overall=0
for p in "${pairs[@]}"; do
	lang=${p%/*} kind=${p#*/}
	name=my-$kind dir=$scratch/$lang-$kind
	t0=$SECONDS
	say "$lang/$kind: yurt new $kind $name --lang $lang"
	(cd "$scratch" && "$yurt" new "$kind" "$name" --lang "$lang" --dir "$dir" --yurt-source "$root" >/dev/null)
	if [ "$lang" = rust ]; then
		# The packaged crates instead of the checkout: yurt by path to the unpacked package,
		# its dependency yurt-supervise (a crates.io dependency in the package) patched to its.
		sed -i "s|^yurt = { path = .*|yurt = { path = \"$yurt_pkg\" }   # the built package|" "$dir/Cargo.toml"
		printf '\n[patch.crates-io]\nyurt-supervise = { path = "%s" }\n' "$supervise_pkg" >>"$dir/Cargo.toml"
		! grep -q "$root/sdk-rust" "$dir/Cargo.toml" || die "$lang/$kind: Cargo.toml still depends on the checkout"
	fi
	args=(YURT_CONFORMANCE="$harness")
	case $lang in
	python) args+=(YURT_SDK="$wheel" CONSTRAINTS="$root/sdk-python/constraints.txt" VENV="$scratch/venv") ;;
	rust) args+=(PROFILE=dev) ;;
	esac
	say "$lang/$kind: make test build"
	make --no-print-directory -C "$dir" test build "${args[@]}" >"$scratch/$lang-$kind.build.log" 2>&1 ||
		{ tail -n 40 "$scratch/$lang-$kind.build.log" >&2; die "$lang/$kind: make test build failed"; }
	[ -x "$dir/plugins/$name" ] || die "$lang/$kind: make build wrote no executable plugins/$name"
	for transport in plain mtls; do
		flags="--json $scratch/$lang-$kind.$transport.json"
		[ "$transport" = mtls ] && flags="$flags --mtls"
		say "$lang/$kind: make conformance ($transport)"
		if ! make --no-print-directory -C "$dir" conformance "${args[@]}" CONFORMANCE_FLAGS="$flags" \
			>"$scratch/$lang-$kind.$transport.txt" 2>&1; then
			grep -Ev '^(PASS|SKIP) ' "$scratch/$lang-$kind.$transport.txt" | tail -n 40 >&2
			echo "--- $lang/$kind ($transport): yurt-conformance failed" >&2
			overall=1
		fi
		counts[$p.$transport]=$(python3 - "$scratch/$lang-$kind.$transport.json" 2>/dev/null <<'PY' || echo "no report"
import json, sys
r = [x["status"] for x in json.load(open(sys.argv[1]))["results"]]
print(f"{r.count('pass')}/{r.count('fail') + r.count('xpass')}/{r.count('skip')}")
PY
)
	done
	secs[$p]=$((SECONDS - t0))
done

say "README code blocks are generated code"
mkdir "$scratch/release"
for lang in go python rust; do
	for kind in driver device; do
		# All six as a user without a checkout gets them (release dependencies; the READMEs
		# show these), whichever pairs were built above.
		"$yurt" new "$kind" "my-$kind" --lang "$lang" --dir "$scratch/release/$lang-$kind" >/dev/null
	done
done
python3 scripts/check_readme_snippets.py "$scratch" || overall=1

echo
echo "yurt new: generate + make test build + yurt-conformance (passed/failed/skipped)"
printf '  %-15s %-10s %-10s %s\n' pair plain mtls time
for p in "${pairs[@]}"; do
	printf '  %-15s %-10s %-10s %ss\n' "$p" "${counts[$p.plain]}" "${counts[$p.mtls]}" "${secs[$p]}"
done
echo "  total $((SECONDS - t_all))s"
exit "$overall"
