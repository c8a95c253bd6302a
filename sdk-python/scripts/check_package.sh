#!/usr/bin/env bash
# Build the sdist and wheel with `python -m build` (the wheel is built FROM the
# sdist, so a file missing from the sdist fails here), install the wheel with
# its [testing] extra into a fresh venv in a scratch directory outside the
# repository (dependencies from PyPI, held to constraints.txt), then, from that
# directory: run a plugin author's first pytest against the README quickstart
# driver, and launch the driver as Nomad would (handshake + PluginInfo).
#   usage: check_package.sh PYTHON    (the repo venv's python, which has `build`)
set -euo pipefail
py=${1:?usage: check_package.sh PYTHON}
sdk=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$sdk/.." && pwd)
base_python=${BASE_PYTHON:-python3.11}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
case "$scratch/" in "$root"/*) echo "scratch dir $scratch is inside the repository" >&2; exit 1;; esac

t0=$SECONDS
# Isolated build: the build backend (hatchling) comes from PyPI, pinned by the constraints.
PIP_CONSTRAINT="$sdk/constraints.txt" "$py" -m build --outdir "$scratch/dist" "$sdk" >"$scratch/build.log" 2>&1 ||
	{ cat "$scratch/build.log" >&2; exit 1; }
shopt -s nullglob
wheels=("$scratch"/dist/yurt_sdk-*-py3-none-any.whl)
sdists=("$scratch"/dist/yurt_sdk-*.tar.gz)
[ ${#wheels[@]} -eq 1 ] && [ ${#sdists[@]} -eq 1 ] ||
	{ echo "expected one wheel and one sdist, got: $(ls "$scratch/dist")" >&2; exit 1; }
# The wheel must carry the generated code and the type marker, and no tests.
"$py" - "${wheels[0]}" <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = ["yurt/__init__.py", "yurt/py.typed", "yurt/testing.py",
        "yurt/_proto/hashicorp/nomad/plugins/drivers/proto/driver_pb2.py"]
missing = [n for n in need if n not in names]
stray = sorted(n for n in names if n.startswith("tests/"))
if missing or stray:
    sys.exit(f"wheel {sys.argv[1]}: missing {missing}, unexpected {stray}")
PY
echo "built $(basename "${wheels[0]}") and $(basename "${sdists[0]}") in $((SECONDS - t0))s"

"$base_python" -m venv "$scratch/venv"
"$scratch/venv/bin/pip" install --quiet --disable-pip-version-check \
	-c "$sdk/constraints.txt" "${wheels[0]}[testing]"

mkdir "$scratch/project"
cp "$root/examples/python/quickstart/hello_driver.py" "$scratch/project/hello_driver.py"
cp "$sdk/scripts/installed_test.py" "$scratch/project/test_hello.py"
(cd "$scratch/project" && "$scratch/venv/bin/python" -m pytest -q -p no:cacheprovider --basetemp="$scratch/pytest" \
	-o asyncio_default_fixture_loop_scope=function test_hello.py)
(cd "$scratch/project" && "$scratch/venv/bin/python" "$sdk/scripts/smoke_plugin.py" --name hello \
	-- "$scratch/venv/bin/python" hello_driver.py)
echo "package check passed in $((SECONDS - t0))s"
