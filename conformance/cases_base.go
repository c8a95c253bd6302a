package conformance

import (
	"time"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/host"
)

// pluginConfig decodes the configured plugin config through the plugin's
// schema and encodes it as Nomad would.
func pluginConfig(t *T, p *host.Plugin) []byte {
	spec, err := p.ConfigSchema(t.Ctx)
	t.Check(err, "ConfigSchema")
	name := t.H.cfg.PluginConfigFile
	if name == "" {
		name = "plugin-config.hcl"
	}
	b, err := host.ConfigMsgpack(spec, t.H.cfg.PluginConfig, name)
	t.Check(err, "plugin config")
	return b
}

// configured launches the plugin and configures it as Nomad does: the plugin
// config and the agent config with the host topology.
func configured(t *T, mod func(*host.Options)) *host.Plugin {
	p := t.Launch(mod)
	t.Check(p.SetConfig(t.Ctx, setConfigRequest(t, pluginConfig(t, p))), "SetConfig with the plugin config")
	return p
}

func setConfigRequest(_ *T, msgpack []byte) host.SetConfigRequest {
	// Nomad sends the agent config to drivers and devices alike
	// (client/client.go, helper/pluginutils/loader/loader.go).
	return host.SetConfigRequest{Msgpack: msgpack, Agent: nomadConfig()}
}

func validSpec(t *T, what string, spec *hclspec.Spec) {
	if spec == nil {
		t.Logf("%s is empty (no configuration accepted)", what)
		return
	}
	if _, err := hclspec.Convert(spec); err != nil {
		t.Errorf("%s does not convert to an hcldec spec: %v", what, err)
	}
}

func baseCases() []Case {
	return []Case{
		{ID: "base/plugin-info", Level: Required, Kind: AnyPlugin,
			Doc: "PluginInfo names a driver or device, lists v0.1.0 and has a parseable plugin_version",
			Run: caseBasePluginInfo},
		{ID: "base/config-schema", Level: Required, Kind: AnyPlugin,
			Doc: "ConfigSchema converts to a valid hcldec spec",
			Run: caseBaseConfigSchema},
		{ID: "base/set-config", Level: Required, Kind: AnyPlugin,
			Doc: "SetConfig accepts the plugin config decoded through its schema",
			Run: caseBaseSetConfig},
		{ID: "base/set-config-twice", Level: Required, Kind: AnyPlugin,
			Doc: "SetConfig may be called twice (Nomad does so while validating)",
			Run: caseBaseSetConfigTwice},
		{ID: "base/set-config-malformed", Level: Recommended, Kind: AnyPlugin,
			Doc: "malformed msgpack gives an error and the plugin keeps serving",
			Run: caseBaseSetConfigMalformed},
	}
}

// caseBasePluginInfo is case base/plugin-info.
func caseBasePluginInfo(t *T) {
	p := t.Launch(nil)
	info, err := p.PluginInfo(t.Ctx)
	t.Check(err, "PluginInfo")
	t.Logf("%s %s %s api %v", info.Type, info.Name, info.PluginVersion, info.APIVersions)
}

// caseBaseConfigSchema is case base/config-schema.
func caseBaseConfigSchema(t *T) {
	p := t.Launch(nil)
	spec, err := p.ConfigSchema(t.Ctx)
	t.Check(err, "ConfigSchema")
	validSpec(t, "ConfigSchema", spec)
}

// caseBaseSetConfig is case base/set-config.
func caseBaseSetConfig(t *T) { configured(t, nil) }

// caseBaseSetConfigTwice is case base/set-config-twice.
func caseBaseSetConfigTwice(t *T) {
	p := configured(t, nil)
	t.Check(p.SetConfig(t.Ctx, host.SetConfigRequest{Msgpack: pluginConfig(t, p)}), "second SetConfig")
}

// caseBaseSetConfigMalformed is case base/set-config-malformed.
func caseBaseSetConfigMalformed(t *T) {
	p := t.Launch(nil)
	err := p.SetConfig(t.Ctx, host.SetConfigRequest{Msgpack: []byte{0xc1, 0xff, 0x00}})
	if err == nil {
		t.Errorf("expected an error for msgpack bytes c1 ff 00, got success")
	}
	time.Sleep(50 * time.Millisecond)
	if _, err := p.PluginInfo(t.Ctx); err != nil {
		t.Errorf("plugin stopped serving after malformed config: %v", err)
	}
}
