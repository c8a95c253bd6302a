#!/usr/bin/env bash
# Long-form fault injection (`make chaos`): TestChaos in go/hardening with
# many rounds of SIGKILL of the agent and of driver plugins during task
# start, stop, exec and state writes. Every task must stay accounted for
# and none may start twice.
#
#   scripts/chaos.sh              100 rounds (ROUNDS=N to change)
#   SEED=123 scripts/chaos.sh     replay a run's random choices
#
# Drivers: the Go example always, the Python example when .venv exists
# (make -C sdk-python venv), the Rust example when cargo is installed, plus
# YURT_HARDENING_DRIVERS=path[:path].
# Figures go to build/chaos-report.json and the log to build/chaos.log.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# The Rust example driver joins when cargo is here (a debug build, shared with
# the test build).
if command -v cargo >/dev/null; then
  cargo build --locked -q -j 2 -p rust-exec
  export YURT_HARDENING_DRIVERS="$ROOT/target/debug/rust-exec${YURT_HARDENING_DRIVERS:+:$YURT_HARDENING_DRIVERS}"
fi
rounds=${ROUNDS:-100}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS: expected a positive integer, got '$rounds'" >&2; exit 2; }
mkdir -p build
export YURT_CHAOS_ROUNDS=$rounds YURT_CHAOS_REPORT="$ROOT/build/chaos-report.json"
[[ -n "${SEED:-}" ]] && export YURT_CHAOS_SEED=$SEED
rm -f "$YURT_CHAOS_REPORT"
# About 3-8 s per round on 2 cores.
timeout_min=$(( rounds / 5 + 10 ))
set +e
(cd go && go test ./hardening -run '^TestChaos$' -count=1 -v -timeout "${timeout_min}m") > build/chaos.log 2>&1
rc=$?
set -e
grep -E '^\s+chaos_test.go:[0-9]+: (chaos:|round)' build/chaos.log | grep -v 'cannot reach the yurt agent' || true
if [[ -f "$YURT_CHAOS_REPORT" ]]; then cat "$YURT_CHAOS_REPORT"; fi
if [[ $rc -ne 0 ]]; then
  echo "chaos: FAILED (exit $rc); see build/chaos.log" >&2
  tail -40 build/chaos.log >&2
fi
exit $rc
