package conformance

import (
	"sync"

	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/plugin/base"
)

var (
	topoOnce sync.Once
	topo     *base.Topology
)

// hostTopology is this machine's CPU topology as Nomad's client detects it
// (host.DetectTopology: client/lib/numalib), detected once per process. A
// driver computes total_ticks from it: percent/100 × total compute / cores
// (client/lib/cpustats/stats.go).
func hostTopology() *base.Topology {
	topoOnce.Do(func() { topo = host.DetectTopology() })
	return topo
}

// topologyCompute is the total compute (MHz) and core count of a topology, as
// Nomad's numalib counts them.
func topologyCompute(t *base.Topology) (totalMHz float64, cores int) {
	if t == nil {
		return 0, 0
	}
	return float64(t.TotalCompute()), len(t.Cores)
}

// nomadConfig is the agent config Nomad's client sends every plugin in
// SetConfig: the client's dynamic port range and the host topology.
func nomadConfig() *base.AgentConfig { return host.NomadAgentConfig(hostTopology()) }
