package conformance

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
)

// hostTopology describes this machine's CPUs as Nomad's client sends them to
// a driver in SetConfig's agent config (NomadDriverConfig.Topology, from
// client/lib/numalib): one core per logical CPU with its socket, and its speed
// in MHz from /proc/cpuinfo. A driver computes total_ticks from it:
// percent/100 × total compute / cores (client/lib/cpustats/stats.go).
func hostTopology() *basepb.ClientTopology {
	topo := &basepb.ClientTopology{NodeIds: []uint32{0}}
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return topo
	}
	defer f.Close()
	var cur *basepb.ClientTopologyCore
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "processor":
			n, _ := strconv.Atoi(v)
			cur = &basepb.ClientTopologyCore{CoreId: uint32(n)}
			topo.Cores = append(topo.Cores, cur)
		case "physical id":
			if cur != nil {
				n, _ := strconv.Atoi(v)
				cur.SocketId = uint32(n)
			}
		case "cpu MHz":
			if cur != nil {
				mhz, _ := strconv.ParseFloat(v, 64)
				cur.BaseSpeed = uint64(math.Round(mhz))
			}
		}
	}
	for _, c := range topo.Cores {
		if c.BaseSpeed == 0 {
			// Nomad guesses when the speed is unknown; any fixed figure will do
			// for the harness, which checks total_ticks against what it sent.
			c.GuessSpeed = 1000
		}
	}
	return topo
}

// topologyCompute is the total compute (MHz) and core count of a topology, as
// Nomad's numalib computes them (a core's MHz is its base speed, else its
// guess; OverrideTotalCompute wins when set).
func topologyCompute(t *basepb.ClientTopology) (totalMHz float64, cores int) {
	for _, c := range t.GetCores() {
		mhz := c.GetBaseSpeed()
		if mhz == 0 {
			mhz = c.GetGuessSpeed()
		}
		totalMHz += float64(mhz)
		cores++
	}
	if o := t.GetOverrideTotalCompute(); o > 0 {
		totalMHz = float64(o)
	}
	return totalMHz, cores
}

// nomadConfig is the agent config Nomad's driver manager sends a driver in
// SetConfig: the client's dynamic port range and the host topology.
func nomadConfig() *basepb.NomadConfig {
	return &basepb.NomadConfig{Driver: &basepb.NomadDriverConfig{ClientMinPort: 14000, ClientMaxPort: 14512, Topology: hostTopology()}}
}
