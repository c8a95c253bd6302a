#!/usr/bin/env bash
# Real-hardware check of the nvidia-gpu device plugin.
#
# Runs, against the real plugin binary on the real NVML (no fake):
#   1. the yurt-conformance suite (every case; Required failures fail the check);
#   2. nvidia-gpu-probe: first Fingerprint, 5 Stats samples at 1 s, Reserve of every device and
#      of an unknown ID;
#   3. a cross-check of the fingerprinted IDs against `nvidia-smi -L`, when nvidia-smi exists.
# Everything goes to $OUT (default: build/gpu-check/ in the repository, or ./gpu-check-out/
# next to a bundle). Needs no package registry, compiler or Go: only the three prebuilt
# binaries, found in this order: $NVIDIA_GPU_PLUGIN / $YURT_CONFORMANCE / $NVIDIA_GPU_PROBE, next
# to this script (a bundle made by `make gpu-bundle`), or in the repository's build outputs.
#
# Exit status: 0 all checks passed, or no NVML here (reported as such, see below);
# 1 a check failed; 2 a binary is missing; 3 no NVML and GPU_CHECK_REQUIRE_GPU=1.
# On a machine without NVML the plugin must still pass conformance with zero devices; the
# summary then says "no NVML" and the hardware checks are reported as not run.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=""
if [[ -f "$HERE/../../../Cargo.toml" && -d "$HERE/../../../conformance" ]]; then
	ROOT=$(cd "$HERE/../../.." && pwd)
fi

find_bin() { # name env-var repo-path
	local name=$1 var=$2 repo=$3
	if [[ -n "${!var:-}" ]]; then
		echo "${!var}"
	elif [[ -x "$HERE/$name" ]]; then
		echo "$HERE/$name"
	elif [[ -n "$ROOT" && -x "$ROOT/$repo" ]]; then
		echo "$ROOT/$repo"
	fi
}

PLUGIN=$(find_bin nvidia-gpu NVIDIA_GPU_PLUGIN target/release/nvidia-gpu)
HARNESS=$(find_bin yurt-conformance YURT_CONFORMANCE build/bin/yurt-conformance)
PROBE=$(find_bin nvidia-gpu-probe NVIDIA_GPU_PROBE build/bin/nvidia-gpu-probe)

if [[ -z "${OUT:-}" ]]; then
	if [[ -n "$ROOT" ]]; then OUT="$ROOT/build/gpu-check"; else OUT="$PWD/gpu-check-out"; fi
fi
mkdir -p "$OUT" || { echo "gpu-check: cannot create output directory $OUT" >&2; exit 2; }
OUT=$(cd "$OUT" && pwd)
exec > >(tee "$OUT/gpu-check.log") 2>&1

START=$(date +%s)
echo "gpu-check: output in $OUT"
missing=0
for pair in "plugin:$PLUGIN" "yurt-conformance:$HARNESS" "nvidia-gpu-probe:$PROBE"; do
	name=${pair%%:*} path=${pair#*:}
	if [[ -z "$path" || ! -x "$path" ]]; then
		echo "gpu-check: $name binary not found (set its env var, put it next to this script, or run 'make -C examples/rust/nvidia-gpu gpu-check')" >&2
		missing=1
	else
		echo "gpu-check: $name = $path"
	fi
done
[[ $missing == 0 ]] || exit 2

# --- 1. The machine -------------------------------------------------------------------------
NVML_CANDIDATES=(
	/usr/local/nvidia/lib64/libnvidia-ml.so.1
	/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1
	/usr/lib64/libnvidia-ml.so.1
	/usr/lib/libnvidia-ml.so.1
	/lib/libnvidia-ml.so.1
)
NVML_FOUND=""
if [[ -n "${YURT_NVML_LIBRARY:-}" && -e "$YURT_NVML_LIBRARY" ]]; then
	NVML_FOUND=$YURT_NVML_LIBRARY
fi
for p in "${NVML_CANDIDATES[@]}"; do
	[[ -z "$NVML_FOUND" && -e "$p" ]] && NVML_FOUND=$p
done
if [[ -z "$NVML_FOUND" ]] && command -v ldconfig >/dev/null; then
	NVML_FOUND=$(ldconfig -p 2>/dev/null | awk '/libnvidia-ml\.so\.1 /{print $NF; exit}')
fi
{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "uname: $(uname -a)"
	grep -E '^(PRETTY_NAME|VERSION_ID)=' /etc/os-release 2>/dev/null
	echo "glibc: $(ldd --version 2>/dev/null | head -1)"
	echo "cpus: $(nproc 2>/dev/null)"
	echo "plugin: $PLUGIN ($(wc -c <"$PLUGIN") bytes)"
	echo "plugin dynamic deps:"; ldd "$PLUGIN" 2>&1 | sed 's/^/  /'
	echo "NVML candidates:"
	for p in "${NVML_CANDIDATES[@]}"; do echo "  $p: $(ls -lL "$p" 2>&1 | tr -s ' ')"; done
	echo "NVML in ld.so.cache: $(ldconfig -p 2>/dev/null | grep -c libnvidia-ml) entries"
	echo "device nodes:"; ls -l /dev/nvidia* 2>&1 | sed 's/^/  /'
} >"$OUT/env.txt"
SMI=""
if command -v nvidia-smi >/dev/null; then SMI=nvidia-smi; fi
if [[ -n "$SMI" ]]; then
	timeout 30 nvidia-smi -L >"$OUT/nvidia-smi-L.txt" 2>&1
	timeout 30 nvidia-smi --query-gpu=uuid,name,memory.total,power.limit,clocks.max.graphics,clocks.max.memory,pcie.link.gen.max,pcie.link.width.max,driver_version,mig.mode.current,persistence_mode \
		--format=csv >"$OUT/nvidia-smi-query.csv" 2>&1
fi
if [[ -n "$NVML_FOUND" ]]; then
	echo "gpu-check: NVML found at $NVML_FOUND"
else
	echo "gpu-check: no NVML on this machine (no libnvidia-ml.so.1 in ${NVML_CANDIDATES[*]} or ld.so.cache)"
fi

# --- 2. Conformance on the real NVML --------------------------------------------------------
unset YURT_NVIDIA_FAKE
cat >"$OUT/plugin.hcl" <<'EOF'
# Real NVML: no fake_nvml. A short period so changes show within the run.
fingerprint_period = "5s"
EOF
echo "# device plugins have no task scenarios" >"$OUT/scenarios.hcl"
echo "gpu-check: running yurt-conformance (limit 150 s)"
HARNESS_ENV=()
if [[ -n "${YURT_NVML_LIBRARY:-}" ]]; then HARNESS_ENV=(--env "YURT_NVML_LIBRARY=$YURT_NVML_LIBRARY"); fi
timeout 150 "$HARNESS" "${HARNESS_ENV[@]}" --plugin "$PLUGIN" --config "$OUT/plugin.hcl" --scenarios "$OUT/scenarios.hcl" \
	--json "$OUT/conformance.json" --junit "$OUT/conformance.xml" -v >"$OUT/conformance.txt" 2>"$OUT/conformance-log.txt"
CONF_RC=$?
CONF_LINE=$(grep -E '^[0-9]+ cases:' "$OUT/conformance.txt" | tail -1)
echo "gpu-check: conformance rc=$CONF_RC: ${CONF_LINE:-no summary line (see conformance.txt)}"
grep -E '^(PASS|FAIL|XFAIL|XPASS) ' "$OUT/conformance.txt" | grep -E '(device|base)/' | sed 's/^/  /'

# --- 3. Fingerprint, stats, reserve ---------------------------------------------------------
MIN_DEVICES=0
[[ -n "$NVML_FOUND" ]] && MIN_DEVICES=1
echo "gpu-check: running nvidia-gpu-probe (limit 60 s, at least $MIN_DEVICES device(s))"
timeout 60 "$PROBE" --plugin "$PLUGIN" --config "$OUT/plugin.hcl" --out "$OUT/probe" \
	--stats-samples 5 --stats-interval 1s --min-devices "$MIN_DEVICES" --timeout 55s
PROBE_RC=$?

# --- 4. Cross-check with nvidia-smi ---------------------------------------------------------
XCHECK="not run (no nvidia-smi)"
XCHECK_RC=0
if [[ -n "$SMI" && -s "$OUT/nvidia-smi-L.txt" && -f "$OUT/probe/fingerprint.json" ]]; then
	# Expected IDs: every MIG UUID, and every GPU UUID that has no MIG instances listed.
	awk '
		/^GPU [0-9]+:/ { if (gpu != "" && !mig) print gpu; match($0, /UUID: [^)]+/); gpu = substr($0, RSTART + 6, RLENGTH - 6); mig = 0; next }
		/^ +MIG / { match($0, /UUID: [^)]+/); print substr($0, RSTART + 6, RLENGTH - 6); mig = 1 }
		END { if (gpu != "" && !mig) print gpu }
	' "$OUT/nvidia-smi-L.txt" | sort >"$OUT/expected-ids.txt"
	missing_ids=()
	while read -r id; do
		[[ -z "$id" ]] && continue
		grep -qF "\"$id\"" "$OUT/probe/fingerprint.json" || missing_ids+=("$id")
	done <"$OUT/expected-ids.txt"
	n=$(grep -c . "$OUT/expected-ids.txt")
	if [[ ${#missing_ids[@]} -eq 0 && $n -gt 0 ]]; then
		XCHECK="ok: all $n IDs from nvidia-smi -L were fingerprinted"
	else
		XCHECK="FAILED: nvidia-smi -L lists $n IDs; not fingerprinted: ${missing_ids[*]:-(nvidia-smi listed none)}"
		XCHECK_RC=1
	fi
fi
echo "gpu-check: nvidia-smi cross-check: $XCHECK"

# --- 5. Verdict -----------------------------------------------------------------------------
ELAPSED=$(($(date +%s) - START))
VERDICT=PASS
RC=0
if [[ $CONF_RC -ne 0 || $PROBE_RC -ne 0 || $XCHECK_RC -ne 0 ]]; then
	VERDICT=FAIL
	RC=1
elif [[ -z "$NVML_FOUND" ]]; then
	VERDICT="NO-NVML (plugin ran on a machine without NVML: 0 devices, streams open; no hardware checked)"
	if [[ "${GPU_CHECK_REQUIRE_GPU:-0}" == 1 ]]; then RC=3; fi
fi
{
	echo "gpu-check verdict: $VERDICT"
	echo "NVML: ${NVML_FOUND:-none}"
	echo "conformance: rc=$CONF_RC ${CONF_LINE:-}"
	echo "probe: rc=$PROBE_RC ($(tail -1 "$OUT/probe/probe-summary.txt" 2>/dev/null))"
	grep -E '^(fingerprint|group|stats|reserve):' "$OUT/probe/probe-summary.txt" 2>/dev/null
	echo "nvidia-smi cross-check: $XCHECK"
	grep -m1 'NVML opened' "$OUT/probe/plugin-stderr.log" 2>/dev/null | sed 's/^/plugin log: /'
	grep -m1 'fingerprinting no devices' "$OUT/probe/plugin-stderr.log" 2>/dev/null | sed 's/^/plugin log: /'
	echo "elapsed: ${ELAPSED}s"
} | tee "$OUT/summary.txt"
exit $RC
