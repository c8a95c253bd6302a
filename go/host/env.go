package host

import (
	"os"
	"strings"
)

// PluginEnvAllowList names the host environment variables a plugin process
// inherits; everything else (tokens, cloud credentials, the operator's
// shell settings) stays with the host. go-plugin adds its own variables
// (the magic cookie, PLUGIN_PROTOCOL_VERSIONS, PLUGIN_MIN_PORT/MAX_PORT,
// PLUGIN_CLIENT_CERT, PLUGIN_UNIX_SOCKET_DIR/GROUP) and Options.Env adds
// the caller's. Names ending in "*" are prefixes.
var PluginEnvAllowList = []string{
	"PATH", "HOME", "USER", "LOGNAME", "SHELL", "TMPDIR", "TZ", "LANG", "LANGUAGE", "LC_*",
	// Diagnostics a plugin author may set on purpose when running the host.
	"GOTRACEBACK", "GODEBUG", "RUST_BACKTRACE", "RUST_LOG", "PYTHONUNBUFFERED",
}

// pluginEnv filters environ (KEY=VALUE entries) through the allow-list.
func pluginEnv(environ []string) []string {
	var out []string
	for _, kv := range environ {
		name, _, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		for _, allowed := range PluginEnvAllowList {
			if name == allowed || (strings.HasSuffix(allowed, "*") && strings.HasPrefix(name, strings.TrimSuffix(allowed, "*"))) {
				out = append(out, kv)
				break
			}
		}
	}
	return out
}

func hostEnvForPlugin() []string { return pluginEnv(os.Environ()) }
