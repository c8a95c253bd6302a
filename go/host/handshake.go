package host

import plugin "github.com/hashicorp/go-plugin"

// Nomad's go-plugin handshake (plugins/base/plugin.go in Nomad, since 0.9).
const (
	// ProtocolVersion is go-plugin's application protocol version for Nomad plugins.
	ProtocolVersion = 2
	// MagicCookieKey is the environment variable a plugin checks before serving.
	MagicCookieKey = "NOMAD_PLUGIN_MAGIC_COOKIE"
	// MagicCookieValue is the value Nomad puts in MagicCookieKey.
	MagicCookieValue = "e4327c2e01eabfd75a8a67adb114fb34a757d57eee7728d857a8cec6e91a7255"

	// APIVersion010 is the only plugin API version of drivers and devices.
	APIVersion010 = "v0.1.0"
)

// Handshake returns Nomad's go-plugin handshake configuration.
func Handshake() plugin.HandshakeConfig {
	return plugin.HandshakeConfig{
		ProtocolVersion:  ProtocolVersion,
		MagicCookieKey:   MagicCookieKey,
		MagicCookieValue: MagicCookieValue,
	}
}
