package host

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/yurt-sdk/yurt/go/plugin/base"
)

// Nomad client defaults for the plugin port range it sends in SetConfig
// (hashicorp/nomad v2.0.5 client/config/config.go DefaultConfig).
const (
	NomadClientMinPort = 14000
	NomadClientMaxPort = 14512
)

// NomadAgentConfig is the agent configuration Nomad's client sends in every
// plugin's SetConfig, drivers and devices alike (client/client.go gives
// cfg.NomadPluginConfig(topology) to both managers; helper/pluginutils/
// loader/loader.go Dispense passes it to SetConfig): the plugin port range
// and the host's CPU topology. Core.MHz and Topology.TotalCompute (go/plugin/
// base) count the topology's compute as Nomad does.
func NomadAgentConfig(top *base.Topology) *base.AgentConfig {
	return &base.AgentConfig{ClientMinPort: NomadClientMinPort, ClientMaxPort: NomadClientMaxPort, Topology: top}
}

// DetectTopology scans the host's CPU topology as Nomad's client does on
// Linux (client/lib/numalib detect_linux.go Sysfs, then Fallback): online
// NUMA nodes and their distances, online cores with socket and node, and per
// core base and max speed from cpufreq; when that model is incomplete (no
// nodes, no distances, or no speed: common in containers and VMs) it falls
// back to the generic scan (detect_generic.go): every logical CPU on node 0
// with the first /proc/cpuinfo "cpu MHz" as its base speed. Nomad's
// dmidecode and cgroup scanners are not reproduced.
func DetectTopology() *base.Topology {
	return detectTopology("/sys/devices/system", "/proc/cpuinfo")
}

func detectTopology(sysRoot, cpuinfo string) *base.Topology {
	if t := scanSysfs(sysRoot); t != nil && !brokenTopology(t) {
		return t
	}
	return scanGeneric(cpuinfo)
}

func brokenTopology(t *base.Topology) bool {
	return len(t.NodeIDs) == 0 || t.Distances == nil || t.Distances.Dimension == 0 || len(t.Cores) == 0 || t.TotalCompute() == 0
}

func readTrim(path string) (string, error) {
	b, err := os.ReadFile(path)
	return strings.TrimSpace(string(b)), err
}

func readUint(path string) uint64 {
	s, err := readTrim(path)
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseUint(s, 10, 64)
	return n
}

// parseIDList parses a kernel id list such as "0-3,6".
func parseIDList(s string) ([]uint32, error) {
	var out []uint32
	for _, part := range strings.Split(strings.TrimSpace(s), ",") {
		if part == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseUint(lo, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("id list %q: %w", s, err)
		}
		b := a
		if isRange {
			if b, err = strconv.ParseUint(hi, 10, 32); err != nil || b < a {
				return nil, fmt.Errorf("id list %q: bad range %q", s, part)
			}
		}
		for i := a; i <= b; i++ {
			out = append(out, uint32(i))
		}
	}
	return out, nil
}

func scanSysfs(root string) *base.Topology {
	t := &base.Topology{}
	if s, err := readTrim(filepath.Join(root, "node", "online")); err == nil {
		t.NodeIDs, _ = parseIDList(s)
	}
	if n := len(t.NodeIDs); n > 0 {
		t.Distances = &base.NodeDistances{Dimension: uint32(n)}
		for _, id := range t.NodeIDs {
			s, err := readTrim(filepath.Join(root, "node", fmt.Sprintf("node%d", id), "distance"))
			if err != nil {
				t.Distances = nil
				break
			}
			for _, f := range strings.Fields(s) {
				v, _ := strconv.ParseUint(f, 10, 8)
				t.Distances.Values = append(t.Distances.Values, uint32(v))
			}
		}
	}
	s, err := readTrim(filepath.Join(root, "cpu", "online"))
	if err != nil {
		return nil
	}
	online, err := parseIDList(s)
	if err != nil {
		return nil
	}
	nodeOf := map[uint32]uint32{}
	for _, id := range t.NodeIDs {
		if s, err := readTrim(filepath.Join(root, "node", fmt.Sprintf("node%d", id), "cpulist")); err == nil {
			cores, _ := parseIDList(s)
			for _, c := range cores {
				nodeOf[c] = id
			}
		}
	}
	for _, id := range online {
		cpu := filepath.Join(root, "cpu", fmt.Sprintf("cpu%d", id))
		core := base.Core{CoreID: id, NodeID: nodeOf[id], SocketID: uint32(readUint(filepath.Join(cpu, "topology", "physical_package_id")))}
		// numalib discoverCoreSpeeds: acpi-cpufreq reports the nominal
		// speed in MHz, other drivers base_frequency in kHz; max in kHz.
		if drv, _ := readTrim(filepath.Join(cpu, "cpufreq", "scaling_driver")); drv == "acpi-cpufreq" {
			core.BaseSpeed = readUint(filepath.Join(cpu, "acpi_cppc", "nominal_freq"))
		} else {
			core.BaseSpeed = readUint(filepath.Join(cpu, "cpufreq", "base_frequency")) / 1000
		}
		core.MaxSpeed = readUint(filepath.Join(cpu, "cpufreq", "cpuinfo_max_freq")) / 1000
		t.Cores = append(t.Cores, core)
	}
	sort.Slice(t.Cores, func(i, j int) bool { return t.Cores[i].CoreID < t.Cores[j].CoreID })
	return t
}

// scanGeneric is numalib's generic scan: NumCPU logical cores on node 0 and
// socket 0, each with the first "cpu MHz" of /proc/cpuinfo as base speed.
func scanGeneric(cpuinfo string) *base.Topology {
	t := &base.Topology{NodeIDs: []uint32{0}}
	var mhz uint64
	if b, err := os.ReadFile(cpuinfo); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), ":")
			if ok && strings.TrimSpace(k) == "cpu MHz" {
				f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
				mhz = uint64(f)
				break
			}
		}
	}
	for i := 0; i < runtime.NumCPU(); i++ {
		t.Cores = append(t.Cores, base.Core{CoreID: uint32(i), BaseSpeed: mhz})
	}
	return t
}
