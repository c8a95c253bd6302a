package conformance

import (
	"sync"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/host"
)

var (
	topoOnce sync.Once
	topo     *basepb.ClientTopology
)

// hostTopology is this machine's CPU topology as Nomad's client detects it
// (host.DetectTopology: client/lib/numalib), detected once per process. A
// driver computes total_ticks from it: percent/100 × total compute / cores
// (client/lib/cpustats/stats.go).
func hostTopology() *basepb.ClientTopology {
	topoOnce.Do(func() { topo = host.DetectTopology() })
	return topo
}

// topologyCompute is the total compute (MHz) and core count of a topology, as
// Nomad's numalib counts them.
func topologyCompute(t *basepb.ClientTopology) (totalMHz float64, cores int) {
	return float64(host.TotalCompute(t)), len(t.GetCores())
}

// nomadConfig is the agent config Nomad's client sends every plugin in
// SetConfig: the client's dynamic port range and the host topology.
func nomadConfig() *basepb.NomadConfig { return host.NomadAgentConfig(hostTopology()) }
