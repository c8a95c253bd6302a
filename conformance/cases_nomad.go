package conformance

import (
	"context"
	"time"

	"github.com/yurt-sdk/yurt/go/host"
)

func noMTLS(o *host.Options) { o.DisableAutoMTLS = true }

func nomadCases() []Case {
	return []Case{
		{ID: "nomad/call-sequence", Level: Required, Kind: AnyPlugin,
			Doc: "Nomad's exact call sequence works without AutoMTLS: info and schema; SetConfig twice; SetConfig with NomadConfig, Init, Fingerprint and TaskEvents streams",
			Run: caseNomadCallSequence},
	}
}

// caseNomadCallSequence is case nomad/call-sequence.
func caseNomadCallSequence(t *T) {
	// 1. Agent start: PluginInfo, ConfigSchema, kill.
	p := t.Launch(noMTLS)
	info, err := p.PluginInfo(t.Ctx)
	t.Check(err, "step 1 PluginInfo")
	api, err := host.SelectAPIVersion(info.Type, info.APIVersions)
	t.Check(err, "step 1 API version")
	spec, err := p.ConfigSchema(t.Ctx)
	t.Check(err, "step 1 ConfigSchema")
	p.Kill()
	name := t.H.cfg.PluginConfigFile
	if name == "" {
		name = "plugin-config.hcl"
	}
	cfg, err := host.ConfigMsgpack(spec, t.H.cfg.PluginConfig, name)
	t.Check(err, "plugin config")
	// 2. Validation: SetConfig twice, kill.
	p = t.Launch(noMTLS)
	for i := 1; i <= 2; i++ {
		t.Check(p.SetConfig(t.Ctx, host.SetConfigRequest{Msgpack: cfg, APIVersion: api}), "step 2 SetConfig #%d", i)
	}
	p.Kill()
	// 3. Run time.
	p = t.Launch(noMTLS)
	req := host.SetConfigRequest{Msgpack: cfg, APIVersion: api, Agent: nomadConfig()}
	t.Check(p.SetConfig(t.Ctx, req), "step 3 SetConfig with NomadConfig")
	ctx, cancel := context.WithTimeout(t.Ctx, 5*time.Second)
	defer cancel()
	if info.Type == host.PluginTypeDevice {
		s, err := p.Device().Fingerprint(ctx)
		t.Check(err, "step 3 device Fingerprint")
		_, err = s.Recv()
		t.Check(err, "step 3 first device fingerprint")
		return
	}
	d := p.Driver()
	_, err = d.Init(t.Ctx)
	t.Check(err, "step 3 Init")
	fs, err := d.Fingerprint(ctx)
	t.Check(err, "step 3 Fingerprint")
	evs, err := d.TaskEvents(ctx)
	t.Check(err, "step 3 TaskEvents")
	_, err = fs.Recv()
	t.Check(err, "step 3 first fingerprint")
	evErr := make(chan error, 1)
	go func() {
		_, err := evs.Recv()
		evErr <- err
	}()
	select {
	case err := <-evErr:
		t.Errorf("step 3 TaskEvents stream ended at once: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
}
