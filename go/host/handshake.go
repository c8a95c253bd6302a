package host

import (
	plugin "github.com/hashicorp/go-plugin"

	"github.com/yurt-sdk/yurt/go/gen/nomadconst"
)

// Nomad's go-plugin handshake (plugins/base/plugin.go in Nomad, since 0.9),
// generated from spec/handshake.json.
const (
	// ProtocolVersion is go-plugin's application protocol version for Nomad plugins.
	ProtocolVersion = nomadconst.AppProtocolVersion
	// MagicCookieKey is the environment variable a plugin checks before serving.
	MagicCookieKey = nomadconst.MagicCookieKey
	// MagicCookieValue is the value Nomad puts in MagicCookieKey.
	MagicCookieValue = nomadconst.MagicCookieValue

	// APIVersion010 is the only plugin API version of drivers and devices.
	APIVersion010 = nomadconst.PluginAPIVersion
)

// Handshake returns Nomad's go-plugin handshake configuration.
func Handshake() plugin.HandshakeConfig {
	return plugin.HandshakeConfig{
		ProtocolVersion:  ProtocolVersion,
		MagicCookieKey:   MagicCookieKey,
		MagicCookieValue: MagicCookieValue,
	}
}
