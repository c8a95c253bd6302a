// Package host launches and talks to Nomad task-driver and device plugins the way a
// Nomad client does: it starts the binary with hashicorp/go-plugin using Nomad's
// handshake (AutoMTLS on unless switched off), can reattach to a running plugin from
// a serialisable Record that also keeps the TLS material AutoMTLS negotiated, selects
// the plugin API version with Nomad's rules, configures the plugin through its
// hclspec schema and exposes typed clients for every BasePlugin, Driver and
// DevicePlugin RPC, with stream helpers that reconnect as Nomad's driver
// manager does. It calls plugins the way Nomad's client does (RecoverTask
// with only the handle; the agent config with the host's CPU topology in
// SetConfig, see DetectTopology and NomadAgentConfig) and checks every reply
// the way Nomad's Go client decodes it (validate.go, ErrNomadDecode).
// Package allocdir builds Nomad's allocation directory layout, FIFO paths,
// task IDs and task environment.
//
// Plugin stderr is parsed by this package rather than by go-plugin, because
// go-plugin panics on hclog JSON lines whose @message/@level/@timestamp is not a
// string; a malformed log line here is logged verbatim and never crashes the host.
package host
