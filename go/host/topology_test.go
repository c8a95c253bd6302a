package host

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, v := range files {
		full := filepath.Join(root, p)
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(v+"\n"), 0o644))
	}
}

func TestDetectTopologyFromSysfs(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"node/online":                           "0-1",
		"node/node0/distance":                   "10 20",
		"node/node1/distance":                   "20 10",
		"node/node0/cpulist":                    "0-1",
		"node/node1/cpulist":                    "2",
		"cpu/online":                            "0-2",
		"cpu/cpu0/cpufreq/scaling_driver":       "intel_pstate",
		"cpu/cpu0/cpufreq/base_frequency":       "2100000",
		"cpu/cpu0/cpufreq/cpuinfo_max_freq":     "3900000",
		"cpu/cpu1/cpufreq/cpuinfo_max_freq":     "3900000",
		"cpu/cpu2/cpufreq/scaling_driver":       "acpi-cpufreq",
		"cpu/cpu2/acpi_cppc/nominal_freq":       "2500",
		"cpu/cpu2/topology/physical_package_id": "1",
	})
	top := detectTopology(root, filepath.Join(root, "no-cpuinfo"))
	assert.Equal(t, []uint32{0, 1}, top.NodeIDs)
	assert.Equal(t, uint32(2), top.Distances.Dimension)
	assert.Equal(t, []uint32{10, 20, 20, 10}, top.Distances.Values)
	require.Len(t, top.Cores, 3)
	c0, c1, c2 := top.Cores[0], top.Cores[1], top.Cores[2]
	assert.Equal(t, []uint64{2100, 3900}, []uint64{c0.BaseSpeed, c0.MaxSpeed})
	assert.Equal(t, uint64(3900), c1.MHz(), "max speed when base is unknown")
	assert.Equal(t, []uint32{1, 1, 2}, []uint32{c2.NodeID, c2.SocketID, c2.CoreID})
	assert.Equal(t, uint64(2500), c2.MHz(), "acpi-cpufreq's nominal speed is in MHz")
	assert.Equal(t, uint64(2100+3900+2500), top.TotalCompute())
}

func TestDetectTopologyFallsBackAsNomad(t *testing.T) {
	// A container: cores are online, but no NUMA nodes and no cpufreq.
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"cpu/online": "0-1",
		"cpuinfo":    "processor\t: 0\nmodel name\t: x\ncpu MHz\t\t: 2445.406\n\nprocessor\t: 1\ncpu MHz\t\t: 1200.000",
	})
	top := detectTopology(root, filepath.Join(root, "cpuinfo"))
	assert.Equal(t, []uint32{0}, top.NodeIDs)
	require.Len(t, top.Cores, runtime.NumCPU())
	for _, c := range top.Cores {
		assert.Equal(t, uint64(2445), c.BaseSpeed, "the first cpu MHz, truncated, for every core")
	}
	assert.Equal(t, uint64(2445*runtime.NumCPU()), top.TotalCompute())
	top.OverrideTotalCompute = 1000
	assert.Equal(t, uint64(1000), top.TotalCompute())

	cfg := NomadAgentConfig(top)
	assert.Equal(t, uint32(14000), cfg.ClientMinPort)
	assert.Equal(t, uint32(14512), cfg.ClientMaxPort)
	assert.Same(t, top, cfg.Topology)
}

func TestDetectTopologyOnThisHost(t *testing.T) {
	top := DetectTopology()
	assert.NotEmpty(t, top.Cores)
	if _, err := os.Stat("/proc/cpuinfo"); err == nil {
		assert.Positive(t, top.TotalCompute(), "a Linux host always yields some MHz")
	}
}

func TestParseIDList(t *testing.T) {
	ids, err := parseIDList("0-2,5, 7")
	require.Error(t, err, "a space is not in the kernel's form")
	ids, err = parseIDList("0-2,5,7")
	require.NoError(t, err)
	assert.Equal(t, []uint32{0, 1, 2, 5, 7}, ids)
	_, err = parseIDList("3-1")
	assert.ErrorContains(t, err, `bad range "3-1"`)
}
