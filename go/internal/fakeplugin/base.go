package main

// The base plugin service: PluginInfo, ConfigSchema and SetConfig, and the
// plugin config the other services read.

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/zclconf/go-cty/cty"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"
)

// pluginConfig is what SetConfig was given (see the package doc).
type pluginConfig struct {
	configured bool
	greeting   string
	label      string
	startDelay time.Duration
	count      int
	// compute is "<total MHz>/<cores>" from the agent config, or "none".
	compute string
}

type base struct {
	basepb.UnimplementedBasePluginServer
	typ basepb.PluginType

	mu  sync.Mutex
	cfg pluginConfig
}

func newBase(typ basepb.PluginType) *base {
	return &base{typ: typ, cfg: pluginConfig{greeting: "hello", count: 2, compute: "none"}}
}

// config returns a copy of the plugin config.
func (b *base) config() pluginConfig {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.cfg
}

func (b *base) PluginInfo(context.Context, *basepb.PluginInfoRequest) (*basepb.PluginInfoResponse, error) {
	logf("debug", "PluginInfo")
	// "0.1.0", not Nomad's "v0.1.0": Nomad parses versions, and a host must
	// answer with the plugin's own spelling (go/host's tests check it).
	r := &basepb.PluginInfoResponse{Type: b.typ, Name: pluginName, PluginVersion: "0.1.0", PluginApiVersions: []string{"0.1.0"}}
	if fault("bad-type") {
		r.Type = basepb.PluginType(99)
	}
	if fault("bad-info") {
		r.PluginApiVersions, r.PluginVersion = []string{"v9.9.9"}, "latest"
	}
	return r, nil
}

func attr(name, typ string, required bool) *hclspecpb.Spec {
	return &hclspecpb.Spec{Block: &hclspecpb.Spec_Attr{Attr: &hclspecpb.Attr{Name: name, Type: typ, Required: required}}}
}

func withDefault(s *hclspecpb.Spec, literal string) *hclspecpb.Spec {
	return &hclspecpb.Spec{Block: &hclspecpb.Spec_Default{Default: &hclspecpb.Default{
		Primary: s, Default: &hclspecpb.Spec{Block: &hclspecpb.Spec_Literal{Literal: &hclspecpb.Literal{Value: literal}}}}}}
}

func (b *base) ConfigSchema(context.Context, *basepb.ConfigSchemaRequest) (*basepb.ConfigSchemaResponse, error) {
	logf("debug", "ConfigSchema")
	greeting := withDefault(attr("greeting", "string", false), `"hello"`)
	if fault("bad-schema") {
		greeting = attr("greeting", "strang", false)
	}
	attrs := map[string]*hclspecpb.Spec{"greeting": greeting}
	if b.typ == basepb.PluginType_DRIVER {
		attrs["label"] = attr("label", "string", false)
		attrs["start_delay"] = attr("start_delay", "string", false)
	} else {
		attrs["count"] = withDefault(attr("count", "number", false), "2")
	}
	return &basepb.ConfigSchemaResponse{Spec: &hclspecpb.Spec{Block: &hclspecpb.Spec_Object{Object: &hclspecpb.Object{Attributes: attrs}}}}, nil
}

// configType is the config's type per mode; greetingOnly is accepted too.
func (b *base) configType() cty.Type {
	if b.typ == basepb.PluginType_DRIVER {
		return cty.Object(map[string]cty.Type{"greeting": cty.String, "label": cty.String, "start_delay": cty.String})
	}
	return cty.Object(map[string]cty.Type{"greeting": cty.String, "count": cty.Number})
}

var greetingOnly = cty.Object(map[string]cty.Type{"greeting": cty.String})

func (b *base) SetConfig(_ context.Context, r *basepb.SetConfigRequest) (*basepb.SetConfigResponse, error) {
	logf("debug", "SetConfig")
	if fault("setconfig-once") && b.config().configured {
		return nil, fmt.Errorf("already configured")
	}
	if fault("reject-config") {
		return nil, errors.New("this plugin accepts no configuration")
	}
	cfg := pluginConfig{greeting: "hello", count: 2, compute: agentCompute(r.GetNomadConfig().GetDriver().GetTopology())}
	if raw := r.GetMsgpackConfig(); len(raw) > 0 {
		v, err := ctymsgpack.Unmarshal(raw, b.configType())
		if err != nil {
			if v2, err2 := ctymsgpack.Unmarshal(raw, greetingOnly); err2 == nil {
				v, err = v2, nil
			}
		}
		if err != nil && fault("accept-malformed") {
			return &basepb.SetConfigResponse{}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("msgpack_config: expected msgpack of %s, got: %v", b.configType().FriendlyName(), err)
		}
		if err := cfg.apply(v); err != nil {
			return nil, err
		}
	}
	if fault("require-greeting") && cfg.greeting == "hello" {
		return nil, errors.New(`greeting: expected a greeting of your own, got the default "hello"`)
	}
	setTopology(r.GetNomadConfig().GetDriver().GetTopology())
	cfg.configured = true
	b.mu.Lock()
	b.cfg = cfg
	b.mu.Unlock()
	return &basepb.SetConfigResponse{}, nil
}

// apply reads the decoded config's attributes into c.
func (c *pluginConfig) apply(v cty.Value) error {
	get := func(name string) (cty.Value, bool) {
		if !v.Type().HasAttribute(name) {
			return cty.NilVal, false
		}
		a := v.GetAttr(name)
		return a, !a.IsNull() && a.IsKnown()
	}
	if g, ok := get("greeting"); ok {
		c.greeting = g.AsString()
	}
	if l, ok := get("label"); ok {
		c.label = l.AsString()
	}
	if d, ok := get("start_delay"); ok {
		dur, err := time.ParseDuration(d.AsString())
		if err != nil {
			return fmt.Errorf("start_delay: expected a duration like \"2s\", got %q", d.AsString())
		}
		c.startDelay = dur
	}
	if n, ok := get("count"); ok {
		f := n.AsBigFloat()
		i, acc := f.Int64()
		if acc != big.Exact || i < 0 || i > 1000 {
			return fmt.Errorf("count: expected a whole number from 0 to 1000, got %s", f.String())
		}
		c.count = int(i)
	}
	return nil
}

// agentCompute shows what SetConfig's agent config said about the host:
// "<total MHz>/<cores>" (Nomad's Topology.TotalCompute), or "none".
func agentCompute(t *basepb.ClientTopology) string {
	if t == nil {
		return "none"
	}
	total := t.GetOverrideTotalCompute()
	if total == 0 {
		for _, c := range t.GetCores() {
			total += coreMHz(c)
		}
	}
	return fmt.Sprintf("%d/%d", total, len(t.GetCores()))
}

// coreMHz is one core's speed as Nomad counts it: base, else max, else guess.
func coreMHz(c *basepb.ClientTopologyCore) uint64 {
	switch {
	case c.GetBaseSpeed() > 0:
		return c.GetBaseSpeed()
	case c.GetMaxSpeed() > 0:
		return c.GetMaxSpeed()
	}
	return c.GetGuessSpeed()
}
