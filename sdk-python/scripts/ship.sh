#!/usr/bin/env bash
# Build ONE executable file for a Nomad client's plugin_dir from a Python plugin
# (a pex, run in --venv mode with a /bin/sh boot; sdk-python/README.md says why).
#
#   ship.sh PYTHON PLUGIN OUT [--sources DIR] [--requirements FILE]
#           [--supervise PROGRAM] [--bundle DIR] [-- PEX_ARGS...]
#
#   PYTHON     the interpreter whose pex (constraints.txt) builds it; the result runs
#              on a client with a CPython of the same minor version (or pass pex's
#              --python/--complete-platform in PEX_ARGS to target others)
#   PLUGIN     path/to/plugin.py (run as __main__, like `python plugin.py`) or
#              module:function (imported from --sources, called with no arguments)
#   OUT        the file to write, e.g. plugin_dir/my-driver (its name is the plugin
#              block's label in the Nomad client config)
#   --sources DIR       a directory of your own modules/packages, put on sys.path
#   --requirements FILE your plugin's own dependencies (pip requirements file)
#   --supervise PROGRAM the native yurt-supervise program; bundled and bound to
#                       $YURT_SUPERVISE_PROGRAM at run time (the SDK's supervision
#                       layer looks there first)
#   --bundle DIR        any other files; they land, modes kept, next to your modules
#                       (find them with importlib.resources or Path(__file__))
# The SDK itself comes from this checkout (sdk-python/), pinned by constraints.txt.
set -euo pipefail
usage() { sed -n '5,23p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 3 ] || usage
py=$1 plugin=$2 out=$3
shift 3
sdk=$(cd "$(dirname "$0")/.." && pwd)
args=()
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
while [ $# -gt 0 ]; do
	case $1 in
	--sources) [ -d "${2:-}" ] || { echo "ship: --sources: expected a directory, got '${2:-}'" >&2; exit 2; }
		args+=(-D "$2"); shift 2 ;;
	--requirements) [ -f "${2:-}" ] || { echo "ship: --requirements: expected a file, got '${2:-}'" >&2; exit 2; }
		args+=(-r "$2"); shift 2 ;;
	--supervise) [ -f "${2:-}" ] && [ -x "${2:-}" ] ||
			{ echo "ship: --supervise: expected an executable file, got '${2:-}'" >&2; exit 2; }
		mkdir -p "$stage/bundle/yurt_ship"
		cp "$2" "$stage/bundle/yurt_ship/yurt-supervise"
		args+=(-D "$stage/bundle" --bind-resource-path YURT_SUPERVISE_PROGRAM=yurt_ship/yurt-supervise)
		shift 2 ;;
	--bundle) [ -d "${2:-}" ] || { echo "ship: --bundle: expected a directory, got '${2:-}'" >&2; exit 2; }
		args+=(-D "$2"); shift 2 ;;
	--) shift; args+=("$@"); break ;;
	*) echo "ship: unknown option '$1'" >&2; usage ;;
	esac
done
case $plugin in
*.py) [ -f "$plugin" ] || { echo "ship: PLUGIN: expected an existing .py file or module:function, got '$plugin'" >&2; exit 2; }
	entry=(--exe "$plugin") ;;
*:*) entry=(-m "$plugin") ;;
*) echo "ship: PLUGIN: expected path/to/plugin.py or module:function, got '$plugin'" >&2; exit 2 ;;
esac
mkdir -p "$(dirname "$out")"
# --venv: the first run installs the packages into a real venv under PEX_ROOT (atomic,
# under a lock, so concurrent launches by the Nomad client are safe); grpcio's and
# cryptography's native modules load from real files. --sh-boot: later starts exec that
# venv's python directly from /bin/sh (no second interpreter start).
"$py" -m pex "$sdk" --constraints "$sdk/constraints.txt" "${entry[@]}" \
	--venv --sh-boot --no-emit-warnings "${args[@]}" -o "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out ($(du -h "$out" | cut -f1))"
