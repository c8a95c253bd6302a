#!/usr/bin/env bash
# Yurt benchmarks (what `make bench` runs): builds every example plugin, the
# bench floors (bench/floors), the yurt agent and the harness (bench/), then
# measures cold start, unary latency, streams, task lifecycle, memory, the
# agent at scale and each SDK's per-task supervision cost (200 tasks each).
# Writes build/bench/results.json (schema: bench/SCHEMA.md),
# results.md and chart.svg; a full run also rewrites BENCHMARKS.md and
# bench/latest/. Figures are ratios against the Go SDK example of the same run.
#
#   scripts/bench.sh            full run (~5-10 min on 2 cores)
#   scripts/bench.sh --smoke    harness check: 3 launches, 200 calls, one plugin
#                               per language, a 2-plugin/5-task agent, 5 supervised
#                               tasks per SDK; validates
#                               results.json against the schema (for make test)
#   scripts/bench.sh -- ARGS    extra yurt-bench flags, e.g. -- -only go-floor -agent=false -supervise=false
# Only the supervision cost, into the latest full results and BENCHMARKS.md (after a build by this
# script): build/bench/bin/yurt-bench supervise -root . bench/latest/results.json
# Environment: CARGO_JOBS (default 2) bounds the Rust build.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
SMOKE=0
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "bench.sh: unknown argument $1 (use --smoke or -- yurt-bench flags)" >&2; exit 2 ;;
  esac
  shift
done
OUT="$ROOT/build/bench"
mkdir -p "$OUT/bin" "$OUT/plugins" "$OUT/floors/python"
say() { printf '== %s\n' "$*" >&2; }

say "build Go: yurt, the Go examples, the Go supervision CLI, the Go floor, the harness"
(cd go && go build -o "$OUT/bin/yurt" ./cmd/yurt && go build -trimpath -o "$OUT/bin/supervisetest" ./plugin/supervise/internal/supervisetest)
(cd examples/go && for p in go-exec go-files; do go build -trimpath -o "$OUT/plugins/$p" "./$p"; done)
(cd bench && go build -trimpath -o "$OUT/plugins/floor-go" ./floors/go && go build -o "$OUT/bin/yurt-bench" ./cmd/yurt-bench)

say "Python: venv and the floor's stubs"
make -s -C sdk-python venv >&2
protos=$(cd proto && find . -name '*.proto' | sort)
# shellcheck disable=SC2086
(cd proto && "$ROOT/.venv/bin/python" -m grpc_tools.protoc -I . --python_out="$OUT/floors/python" \
  --grpc_python_out="$OUT/floors/python" $protos)
# Bytecode for everything a Python plugin imports, as an installed wheel would
# have it: with PYTHONDONTWRITEBYTECODE set (as on CI machines) every launch
# would otherwise compile the SDK from source, which dominates cold start.
"$ROOT/.venv/bin/python" -m compileall -q sdk-python/src examples/python bench/floors/python "$OUT/floors/python" >&2
# And the methods the SDK's dataclasses generate at import (sdk-python/src/yurt/_dcache.py).
"$ROOT/.venv/bin/python" -m yurt._precompile >&2

# The smoke run shares the debug build with `cargo test`; the full run is release.
if [ "$SMOKE" = 1 ]; then PROFILE=(); RUSTBIN=target/debug; else PROFILE=(--release); RUSTBIN=target/release; fi
say "Rust: the examples, the floor, yurt-supervise and its CLI (${RUSTBIN})"
cargo build -q "${PROFILE[@]}" -j "${CARGO_JOBS:-2}" -p rust-files -p rust-exec -p yurt-bench-floor \
  -p yurt-supervise

# Every measured binary is a plain copy, not the linker's output file: the
# same binary launched from the file the linker wrote takes more page faults
# per exec than a copy of it (1.12x on-CPU at start, bench/FINDINGS.md), which
# would favour whichever plugin was not just linked.
fresh() { cp "$1" "$2.tmp" && mv -f "$2.tmp" "$2"; }
COPY="build/bench/rust-$(basename "$RUSTBIN")"
mkdir -p "$COPY"
for b in rust-files rust-exec floor-rust yurt-supervise yurt-supervise-cli; do fresh "$RUSTBIN/$b" "$COPY/$b"; done
for b in "$OUT"/plugins/*; do fresh "$b" "$b"; done
RUSTBIN="$COPY"

ARGS=(-root "$ROOT" -rust-bin "$RUSTBIN")
if [ "$SMOKE" = 1 ]; then
  ARGS+=(-smoke -out build/bench/smoke)
  RESULTS="$OUT/smoke/results.json"
else
  ARGS+=(-benchmarks-md "$ROOT/BENCHMARKS.md")
  RESULTS="$OUT/results.json"
fi
say "measure"
"$OUT/bin/yurt-bench" "${ARGS[@]}" "${EXTRA[@]}"
"$OUT/bin/yurt-bench" validate "$RESULTS"
