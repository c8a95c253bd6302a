#!/usr/bin/env bash
# The shipped executable runs when copied ALONE into an empty plugin_dir.
# Ships the README quickstart driver (with a stand-in supervise program bundled),
# copies the one file into an empty directory, and launches it there as Nomad's
# client would: three launches at once against a fresh PEX_ROOT (the first run
# unpacks; concurrent first runs must not trip over each other), each must
# complete the go-plugin handshake and answer PluginInfo. Then checks that the
# packages came from the executable (not this checkout) and that the bundled
# program is executable at $YURT_SUPERVISE_PROGRAM.
#   usage: check_ship.sh PYTHON    (the repo venv's python, which has pex)
set -euo pipefail
py=${1:?usage: check_ship.sh PYTHON}
sdk=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$sdk/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
case "$scratch/" in "$root"/*) echo "scratch dir $scratch is inside the repository" >&2; exit 1;; esac

t0=$SECONDS
printf '#!/bin/sh\necho "stand-in supervise: $*"\n' >"$scratch/yurt-supervise"
chmod +x "$scratch/yurt-supervise"
"$sdk/scripts/ship.sh" "$py" "$root/examples/python/quickstart/hello_driver.py" "$scratch/out/hello" \
	--supervise "$scratch/yurt-supervise" >"$scratch/ship.log" 2>&1 || { cat "$scratch/ship.log" >&2; exit 1; }
echo "shipped hello ($(du -h "$scratch/out/hello" | cut -f1)) in $((SECONDS - t0))s"

mkdir "$scratch/plugin_dir"
cp "$scratch/out/hello" "$scratch/plugin_dir/hello"
rm -rf "$scratch/out" "$scratch/yurt-supervise"
[ "$(ls -A "$scratch/plugin_dir")" = hello ] || { echo "plugin_dir is not just the executable" >&2; exit 1; }

# A plain PATH: the system python3.11 only, nothing of this checkout.
export PATH=/usr/local/bin:/usr/bin:/bin PEX_ROOT="$scratch/pex-root"
unset PYTHONPATH VIRTUAL_ENV
pids=()
for i in 1 2 3; do
	"$py" "$sdk/scripts/smoke_plugin.py" --name hello --cwd "$scratch/plugin_dir" \
		-- "$scratch/plugin_dir/hello" >"$scratch/smoke$i.log" 2>&1 &
	pids+=($!)
done
fail=0
for i in 1 2 3; do
	wait "${pids[$((i - 1))]}" || { fail=1; echo "launch $i failed:" >&2; cat "$scratch/smoke$i.log" >&2; }
done
[ $fail -eq 0 ] || exit 1
cat "$scratch/smoke1.log"

# Where the code came from, and the bundled program (PEX_INTERPRETER: same boot, a REPL entry).
got=$(cd "$scratch/plugin_dir" && PEX_INTERPRETER=1 ./hello -c '
import os, subprocess, yurt
prog = os.environ["YURT_SUPERVISE_PROGRAM"]
out = subprocess.run([prog, "yurt-supervise", "/state"], capture_output=True, text=True, check=True)
print(yurt.__file__); print(prog); print(out.stdout.strip())')
echo "$got"
mapfile -t lines <<<"$got"
case ${lines[0]} in "$PEX_ROOT"/*) ;; *) echo "yurt was imported from ${lines[0]}, not from the executable" >&2; exit 1;; esac
case ${lines[1]} in "$PEX_ROOT"/*) ;; *) echo "YURT_SUPERVISE_PROGRAM=${lines[1]} is not inside the executable's files" >&2; exit 1;; esac
[ "${lines[2]}" = "stand-in supervise: yurt-supervise /state" ] || { echo "bundled program: got '${lines[2]}'" >&2; exit 1; }
echo "ship check passed in $((SECONDS - t0))s"
