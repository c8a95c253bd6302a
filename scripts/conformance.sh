#!/usr/bin/env bash
# Runs yurt-conformance against every example plugin of every language.
#
# Examples are found by directory, so a new one is picked up without editing
# this script; each has its conformance files in <dir>/conformance/:
#   go      <dir> = examples/go/<name>       a main package (main.go at its top),
#                                            built by `make -C examples/go build`
#                                            into build/plugins/<name>
#   rust    <dir> = examples/rust/<name>     a Cargo package with one binary,
#                                            built (--locked, -j 2) and copied to build/plugins/
#   python  <dir> = examples/python/<name>   one executable launcher at its top
#                                            (runs the repo .venv)
# <dir>/conformance/plugin.hcl (the plugin config) is required; scenarios.hcl
# (task roles, needed by drivers) and expected-failures.txt are optional.
# Every example runs twice: "plain", Nomad's way (no AutoMTLS: Nomad's plugin
# loader launches plugins without it), and "mtls" (go-plugin AutoMTLS, --mtls).
# Reports go to build/conformance/<lang>-<name>.<plain|mtls>.{json,xml} (table
# in .txt, harness stderr in .log). The script exits non-zero when any run
# fails, when an example lacks its conformance files, or when a driver's
# recovery case did not pass.
#
# Usage: scripts/conformance.sh [LANG/NAME ...]   (default: every example)
# Env:   CONFORMANCE_ARGS  extra yurt-conformance flags, e.g. "--run ^driver/ -v"
#        CONFORMANCE_TRANSPORTS  "plain mtls" (default), or one of them
#        CONFORMANCE_CARGO_PROFILE  release (default) or dev; dev reuses the
#                          debug build that `make -C sdk-rust test` already made
#                          (a cold release build takes many minutes on 2 cores)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
harness="$root/build/bin/yurt-conformance"
plugins="$root/build/plugins"
reports="$root/build/conformance"
mkdir -p "$plugins" "$reports"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'conformance.sh: error: %s\n' "$*" >&2; exit 2; }

# --- discovery: prints "lang name" lines -------------------------------------
discover() {
  local d
  for d in examples/go/*/; do
    [ -f "${d}main.go" ] && echo "go $(basename "$d")"
  done
  for d in examples/rust/*/; do
    [ -f "${d}Cargo.toml" ] && echo "rust $(basename "$d")"
  done
  for d in examples/python/*/; do
    [ -d "$d" ] && [ -n "$(python_launchers "$d")" ] && echo "python $(basename "$d")"
  done
  return 0
}

# Executable regular files at the top of a Python example directory.
python_launchers() { find "$1" -maxdepth 1 -type f -perm -u+x | LC_ALL=C sort; }

example_dir() { echo "examples/$1/$2"; } # lang name

# --- builds --------------------------------------------------------------------
# Prints "package binary" for a Rust example, from cargo metadata.
rust_target() {
  local manifest="examples/rust/$1/Cargo.toml"
  cargo metadata --no-deps --format-version 1 --manifest-path "$manifest" | python3 -c '
import json, os, sys
m = json.load(sys.stdin); want = os.path.realpath(sys.argv[1])
for p in m["packages"]:
    if os.path.realpath(p["manifest_path"]) == want:
        bins = [t["name"] for t in p["targets"] if "bin" in t["kind"]]
        srcs = [t["src_path"] for t in p["targets"] if "bin" in t["kind"]]
        if len(bins) != 1:
            sys.exit(f"{sys.argv[1]}: expected exactly one binary target, found {bins}")
        print(p["name"], bins[0], m["target_directory"], srcs[0]); break
else:
    sys.exit(f"{sys.argv[1]}: package not found in cargo metadata (is it a workspace member?)")
' "$manifest"
}

build_rust() {
  local name=$1 pkg bin target_dir
  read -r pkg bin target_dir src < <(rust_target "$name") || die "examples/rust/$name: cannot find its binary"
  [ -n "$bin" ] || die "examples/rust/$name: cannot find its binary"
  say "build rust/$name (package $pkg, binary $bin)"
  local profile=${CONFORMANCE_CARGO_PROFILE:-release} out_dir
  case "$profile" in
    release) out_dir=release ;;
    dev) out_dir=debug ;;
    *) die "CONFORMANCE_CARGO_PROFILE: expected release or dev, got $profile" ;;
  esac
  # target/<profile>/<bin> is whichever tree linked last when the target dir
  # is shared between worktrees: touching the crate root makes this build link
  # it again, and it is copied at once below. Cargo also hashes path crates
  # by their workspace-relative path, so worktrees sharing a target dir can
  # reuse each other's SDK crate: for a run that tests this tree's sources,
  # give it its own CARGO_TARGET_DIR.
  touch "$src"
  cargo build --locked -j 2 --profile "$profile" --manifest-path "examples/rust/$name/Cargo.toml" --bin "$bin"
  cp -f "$target_dir/$out_dir/$bin" "$plugins/$bin"
  echo "$plugins/$bin" >"$plugins/.rust-$name.path"
}

python_launcher() { # prints the launcher path
  local name=$1 found
  found=$(python_launchers "$root/examples/python/$name/")
  [ -n "$found" ] && [ "$(wc -l <<<"$found")" -eq 1 ] ||
    die "examples/python/$name: expected exactly one executable launcher, found: $(tr '\n' ' ' <<<"$found")"
  echo "$found"
}

plugin_path() { # lang name -> executable path
  case "$1" in
    go) echo "$plugins/$2" ;;
    rust) cat "$plugins/.rust-$2.path" ;;
    python) python_launcher "$2" ;;
  esac
}

# --- main ----------------------------------------------------------------------
if [ $# -gt 0 ]; then
  examples=()
  for sel in "$@"; do
    [[ "$sel" == */* ]] || die "expected LANG/NAME, got $sel"
    examples+=("${sel%%/*} ${sel#*/}")
  done
else
  mapfile -t examples < <(discover)
fi
[ "${#examples[@]}" -gt 0 ] || die "no example plugins found under examples/{go,rust,python}"

say "build yurt-conformance"
make --no-print-directory -C conformance build >&2

need_go=0 need_venv=0
for ex in "${examples[@]}"; do
  read -r lang name <<<"$ex"
  dir=$(example_dir "$lang" "$name")
  [ -d "$dir" ] || die "$dir: no such example"
  [ -f "$dir/conformance/plugin.hcl" ] || die "$dir/conformance/plugin.hcl: missing (every example needs its plugin config for the harness)"
  case "$lang" in
    go) need_go=1 ;;
    rust) build_rust "$name" ;;
    python) need_venv=1 ;;
    *) die "unknown language $lang (expected go, rust or python)" ;;
  esac
done
if [ "$need_go" = 1 ]; then
  say "build go examples"
  make --no-print-directory -C examples/go build PLUGIN_DIR="$plugins" >&2
fi
if [ "$need_venv" = 1 ]; then
  say "python venv"
  make --no-print-directory -C sdk-python venv >&2
fi

declare -A rc_of time_of
overall=0
runs=()
for ex in "${examples[@]}"; do
  for transport in ${CONFORMANCE_TRANSPORTS:-plain mtls}; do
    case "$transport" in plain | mtls) ;; *) die "CONFORMANCE_TRANSPORTS: expected plain and/or mtls, got $transport" ;; esac
    runs+=("$ex $transport")
  done
done
for run in "${runs[@]}"; do
  read -r lang name transport <<<"$run"
  # Absolute paths: each plugin runs from its example directory, so relative
  # paths in its plugin.hcl (test fixtures) resolve the same from anywhere.
  exdir="$root/$(example_dir "$lang" "$name")"
  dir="$exdir/conformance"
  out="$reports/$lang-$name.$transport"
  args=(--plugin "$(plugin_path "$lang" "$name")" --config "$dir/plugin.hcl" --json "$out.json" --junit "$out.xml")
  [ "$transport" = mtls ] && args+=(--mtls)
  [ -f "$dir/scenarios.hcl" ] && args+=(--scenarios "$dir/scenarios.hcl")
  [ -f "$dir/expected-failures.txt" ] && args+=(--expected-failures "$dir/expected-failures.txt")
  # shellcheck disable=SC2206 # word splitting of the extra flags is intended
  [ -n "${CONFORMANCE_ARGS:-}" ] && args+=($CONFORMANCE_ARGS)
  rm -f "$out".json "$out".xml "$out".txt "$out".log # no stale report stands in for a run that wrote none
  say "run $lang/$name ($transport)"
  start=$(date +%s%N)
  set +e
  (cd "$exdir" && exec "$harness" "${args[@]}") >"$out.txt" 2>"$out.log"
  rc=$?
  set -e
  ms=$((($(date +%s%N) - start) / 1000000))
  time_of[$run]=$((ms / 1000)).$((ms % 1000 / 100))
  # Full table for a failed run; otherwise what is not a plain pass or skip, and the tally.
  if [ "$rc" -ne 0 ]; then
    cat "$out.txt"
  else
    grep -Ev '^(PASS|SKIP|STATUS) |^$' "$out.txt" || true
  fi
  if [ "$rc" -ne 0 ]; then
    echo "--- $lang/$name ($transport) exited $rc; harness stderr in $out.log:" >&2
    tail -n 20 "$out.log" >&2
    overall=1
  fi
  # The JUnit file is for CI dashboards: it must parse and count what the JSON says.
  if [ -f "$out.json" ] && ! python3 - "$out.json" "$out.xml" <<'EOF'; then
import json, sys, xml.etree.ElementTree as ET
r = json.load(open(sys.argv[1]))
try:
    root = ET.parse(sys.argv[2]).getroot()
except (OSError, ET.ParseError) as e:
    sys.exit(f"{sys.argv[2]}: {e}")
n = len(r["results"])
if root.tag != "testsuites" or int(root.get("tests", -1)) != n or len(list(root.iter("testcase"))) != n:
    sys.exit(f"{sys.argv[2]}: expected <testsuites tests=\"{n}\"> with {n} testcases, as in {sys.argv[1]}")
EOF
    echo "--- $lang/$name ($transport): the JUnit report does not parse or disagrees with the JSON report" >&2
    rc=1
    overall=1
  fi
  # A driver's recovery case must have run (it needs a long_running task role).
  if [ -f "$out.json" ] && ! python3 - "$out.json" <<'EOF'; then
import json, sys
r = json.load(open(sys.argv[1]))
rec = [x for x in r["results"] if x["id"] == "driver/recover-task"]
if r.get("plugin_type") == "driver" and rec and rec[0]["status"] not in ("pass", "xfail"):
    sys.exit(f"driver/recover-task: {rec[0]['status']}: {rec[0].get('message', '')}")
EOF
    echo "--- $lang/$name ($transport): the recovery case must run and pass for a driver (give it a long_running task in scenarios.hcl)" >&2
    rc=1
    overall=1
  fi
  rc_of[$run]=$rc
done

# --- matrix ----------------------------------------------------------------------
echo
echo "Conformance matrix: passed/failed/skipped per group (+Nx: N expected failures; unexpected passes count as failed)"
files=()
for run in "${runs[@]}"; do
  read -r lang name transport <<<"$run"
  files+=("$lang/$name $transport=$reports/$lang-$name.$transport.json=${rc_of[$run]}=${time_of[$run]}")
done
python3 - "${files[@]}" <<'EOF'
import json, os, sys
groups = ["handshake", "base", "driver", "device", "nomad"]
rows = []
for arg in sys.argv[1:]:
    name, path, rc, secs = arg.split("=")
    if not os.path.exists(path):
        rows.append([name, "?"] + ["no report"] * len(groups) + ["-", secs + "s", "ERROR rc=" + rc]); continue
    r = json.load(open(path))
    cells, total = [], {"pass": 0, "fail": 0, "skip": 0, "xfail": 0, "xpass": 0}
    for g in groups:
        c = {"pass": 0, "fail": 0, "skip": 0, "xfail": 0, "xpass": 0}
        for x in r["results"]:
            if x["id"].split("/")[0] == g:
                c[x["status"]] += 1; total[x["status"]] += 1
        cell = f'{c["pass"]}/{c["fail"] + c["xpass"]}/{c["skip"]}'
        if c["xfail"]: cell += f'+{c["xfail"]}x'
        cells.append(cell)
    tot = f'{total["pass"]}/{total["fail"] + total["xpass"]}/{total["skip"]}' + (f'+{total["xfail"]}x' if total["xfail"] else "")
    rows.append([name, r.get("plugin_type", "?")] + cells + [tot, secs + "s", "PASS" if rc == "0" else "FAIL"])
head = ["plugin", "type"] + groups + ["total", "time", "verdict"]
w = [max(len(str(row[i])) for row in rows + [head]) for i in range(len(head))]
for row in [head] + rows:
    print("  ".join(str(v).ljust(w[i]) for i, v in enumerate(row)))
EOF
echo "reports: $reports/<lang>-<name>.<plain|mtls>.{json,xml,txt,log}"
exit "$overall"
