#!/usr/bin/env bash
# Yurt end-to-end demo: build the host and the plugins, start `yurt agent -dev`,
# run one task per loaded driver (files in scripts/demo/tasks/*.hcl, each naming its
# driver), show status, logs, stats, devices and events, stop everything.
# To add a driver (Python, Rust, ...): put its binary in the plugin dir and
# drop a task file for it in scripts/demo/tasks/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
BIN="$ROOT/build/bin"
# A plugin dir of its own: exactly the plugins the demo builds, whatever other
# targets (make conformance, make bench) left in build/plugins.
PLUGINS="${YURT_DEMO_PLUGIN_DIR:-$ROOT/build/demo/plugins}"
mkdir -p "$BIN" "$PLUGINS"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "build yurt"
(cd go && go build -o "$BIN/yurt" ./cmd/yurt)
if [ -f examples/go/Makefile ]; then
  step "build the Go example plugins"
  make -C examples/go build PLUGIN_DIR="$PLUGINS"
fi
# The Rust example driver, a debug build (it shares the test build's artifacts).
if command -v cargo >/dev/null; then
  step "build the Rust example driver"
  cargo build --locked -q -j 2 -p yurt-example-process-driver
  cp target/debug/yurt-example-process-driver "$PLUGINS/"
fi
# The Python example drivers run from the repo's .venv (make -C sdk-python venv);
# their launchers resolve symlinks, so a link in the plugin dir is enough.
if [ -x .venv/bin/python ]; then
  step "link the Python example plugins"
  for launcher in examples/python/*/*; do
    [ -f "$launcher" ] && [ -x "$launcher" ] && ln -sf "$ROOT/$launcher" "$PLUGINS/$(basename "$launcher")"
  done
fi
# The repository's fake plugin (go/internal/fakeplugin) makes the demo work before
# (and besides) the examples: as yurt-testproc a driver named testproc, as
# yurt-testdevice a device plugin (it takes its mode and name from its file name).
(cd go && go build -o "$PLUGINS/yurt-testproc" ./internal/fakeplugin \
       && go build -o "$PLUGINS/yurt-testdevice" ./internal/fakeplugin)

WORK="$(mktemp -d /tmp/yurt-demo-XXXXXX)"
export HOME="$WORK" YURT_ADDR="$WORK/data/yurt.sock"
AGENT_PID=""
cleanup() {
  if [ -n "$AGENT_PID" ] && kill -0 "$AGENT_PID" 2>/dev/null; then
    kill -INT "$AGENT_PID"; wait "$AGENT_PID" || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

step "start yurt agent -dev (plugins from $PLUGINS)"
AGENT_ARGS=(agent -dev -data-dir "$WORK/data" -plugin-dir "$PLUGINS")
# The agent file configures the example plugins, so use it only when they are built.
[ -x "$PLUGINS/yurt-files" ] && AGENT_ARGS+=(-config scripts/demo/agent.hcl)
"$BIN/yurt" "${AGENT_ARGS[@]}" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
for _ in $(seq 100); do
  "$BIN/yurt" plugin status >/dev/null 2>&1 && break
  kill -0 "$AGENT_PID" 2>/dev/null || { cat "$WORK/agent.log"; exit 1; }
  sleep 0.1
done
yurt() { "$BIN/yurt" "$@"; }
yurt plugin status
yurt device status

drivers="$(yurt plugin status --json | python3 -c 'import json,sys; print(" ".join(p["name"] for p in json.load(sys.stdin) if p.get("type")=="driver" and p.get("state")=="running"))')"
tasks=()
for f in scripts/demo/tasks/*.hcl; do
  d="$(sed -n 's/^ *driver *= *"\([^"]*\)".*/\1/p' "$f" | head -1)"
  t="$(sed -n 's/^task *"\([^"]*\)".*/\1/p' "$f" | head -1)"
  if [[ " $drivers " == *" $d "* ]]; then
    step "run $f (driver $d)"; grep -v '^#' "$f"
    yurt run "$f"
    tasks+=("$t")
  else
    echo "skipping $f: driver $d is not loaded"
  fi
done
[ "${#tasks[@]}" -gt 0 ] || { echo "no demo task could run" >&2; exit 1; }
sleep 1.5

for t in "${tasks[@]}"; do
  step "status $t"; yurt status "$t"
  step "logs $t";   yurt logs "$t" | head -5
  step "stats $t";  yurt stats "$t"
  step "exec $t";   yurt exec "$t" -- /bin/sh -c 'echo "exec in $NOMAD_TASK_NAME"'
done
step "devices while running"; yurt device status
for t in "${tasks[@]}"; do
  step "stop $t"; yurt stop "$t"
done
step "status"; yurt status
step "events"; yurt events

step "stop the agent"
kill -INT "$AGENT_PID"; wait "$AGENT_PID"; AGENT_PID=""
if pgrep -f "$PLUGINS/yurt-" >/dev/null; then
  echo "plugin processes left behind" >&2; exit 1
fi
echo "demo finished"
