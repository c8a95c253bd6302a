#!/usr/bin/env bash
# Fuzz every parser of untrusted bytes: Go native fuzz targets (go test
# -fuzz), the Python SDK's hypothesis properties and the Rust SDK's proptest
# properties.
#
#   scripts/fuzz.sh --short   bounded, for `make test` (about 1 minute in all)
#   scripts/fuzz.sh           longer, for `make fuzz` (FUZZTIME per Go target, default 60s)
#
# Prints executions per target and the total; writes them to
# build/fuzz-report.txt. A crasher is saved by Go under the package's
# testdata/fuzz/<Target>/ (commit it: it becomes a regression seed) and the
# script fails.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

short=0
case "${1:-}" in
  --short) short=1 ;;
  "") ;;
  *) echo "usage: scripts/fuzz.sh [--short]" >&2; exit 2 ;;
esac
if [[ $short == 1 ]]; then
  # A count, not a duration: a duration that ends while the engine minimises a new
  # input makes `go test -fuzz` fail with "context deadline exceeded" (a go tool
  # quirk, not a crasher), which a loaded CI machine hits.
  fuzztime=${FUZZTIME:-1500x}; hyp_examples=${HYPOTHESIS_EXAMPLES:-150}; proptest_cases=0
else
  fuzztime=${FUZZTIME:-60s}; hyp_examples=${HYPOTHESIS_EXAMPLES:-3000}; proptest_cases=${PROPTEST_CASES:-20000}
fi

# module dir | package | target
targets=(
  "go|./host|FuzzParseLogLine"
  "go|./host|FuzzUnmarshalRecord"
  "go|./hclspec|FuzzConvert"
  "go|./plugin/base|FuzzDecodeConfig"
  "go|./config|FuzzParseTasks"
  "go|./config|FuzzParseAgent"
  "go|./config|FuzzParseSignal"
  "go|./inputlimit|FuzzCheckHCL"
  "go|./inputlimit|FuzzCheckJSON"
  "conformance|.|FuzzParseHandshake"
)

mkdir -p build
report=build/fuzz-report.txt
: > "$report"
total=0
fail=0
for t in "${targets[@]}"; do
  IFS='|' read -r mod pkg name <<<"$t"
  log=$(mktemp)
  # -parallel 1: the machine is shared; one worker keeps the load at one core.
  if (cd "$mod" && go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -parallel 1) >"$log" 2>&1; then
    status=ok
  else
    status=FAIL; fail=1
    tail -30 "$log" >&2
  fi
  execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | awk '{print $2}' || true)
  execs=${execs:-0}
  total=$((total + execs))
  printf '%-6s %-12s %-22s %10s execs\n' "$status" "$mod/${pkg#./}" "$name" "$execs" | tee -a "$report"
  rm -f "$log"
done

# Python: hypothesis properties of the SDK's parsers (tests/test_properties.py).
py="${YURT_PYTHON:-$ROOT/.venv/bin/python}"
if [[ -x "$py" ]] && "$py" -c 'import hypothesis, msgpack' 2>/dev/null; then
  log=$(mktemp)
  if (cd sdk-python && YURT_HYPOTHESIS_EXAMPLES=$hyp_examples PYTHONPATH=src "$py" -m pytest -q -s -p no:cacheprovider tests/test_properties.py) >"$log" 2>&1; then
    status=ok
  else
    status=FAIL; fail=1; tail -30 "$log" >&2
  fi
  n=$(grep -c '^PROPERTY ' "$log" || true)
  execs=$(awk '/^PROPERTY /{s+=$3} END{print s+0}' "$log")
  total=$((total + execs))
  printf '%-6s %-12s %-22s %10s examples (%s properties)\n' "$status" "sdk-python" "hypothesis" "$execs" "$n" | tee -a "$report"
  rm -f "$log"
else
  echo "skip   sdk-python   hypothesis: no Python with hypothesis (make -C sdk-python venv, or set YURT_PYTHON)" | tee -a "$report"
fi

# Rust: the SDK's proptest properties (handshake, hclog, hclspec, config).
if [[ $proptest_cases -gt 0 ]]; then  # PROPTEST_CASES=0 skips it
  if PROPTEST_CASES=$proptest_cases cargo test -q -p yurt --lib >/dev/null 2>build/fuzz-rust.log; then
    status=ok
  else
    status=FAIL; fail=1; tail -30 build/fuzz-rust.log >&2
  fi
  printf '%-6s %-12s %-22s %10s cases per property\n' "$status" "sdk-rust" "proptest" "$proptest_cases" | tee -a "$report"
fi

echo "total: $total executions (Go fuzz + hypothesis)" | tee -a "$report"
exit $fail
