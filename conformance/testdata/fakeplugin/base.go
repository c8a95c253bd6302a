package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/zclconf/go-cty/cty"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"
)

type base struct {
	basepb.UnimplementedBasePluginServer
	typ  basepb.PluginType
	name string

	mu       sync.Mutex
	greeting string
}

func (b *base) PluginInfo(context.Context, *basepb.PluginInfoRequest) (*basepb.PluginInfoResponse, error) {
	logf("debug", "PluginInfo")
	r := &basepb.PluginInfoResponse{Type: b.typ, Name: b.name, PluginVersion: "0.1.0", PluginApiVersions: []string{"v0.1.0"}}
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

func (b *base) ConfigSchema(context.Context, *basepb.ConfigSchemaRequest) (*basepb.ConfigSchemaResponse, error) {
	logf("debug", "ConfigSchema")
	greeting := &hclspecpb.Spec{Block: &hclspecpb.Spec_Default{Default: &hclspecpb.Default{
		Primary: attr("greeting", "string", false),
		Default: &hclspecpb.Spec{Block: &hclspecpb.Spec_Literal{Literal: &hclspecpb.Literal{Value: `"hello"`}}},
	}}}
	if fault("bad-schema") {
		greeting = attr("greeting", "strang", false)
	}
	return &basepb.ConfigSchemaResponse{Spec: &hclspecpb.Spec{Block: &hclspecpb.Spec_Object{Object: &hclspecpb.Object{
		Attributes: map[string]*hclspecpb.Spec{"greeting": greeting},
	}}}}, nil
}

var configType = cty.Object(map[string]cty.Type{"greeting": cty.String})

func (b *base) SetConfig(_ context.Context, r *basepb.SetConfigRequest) (*basepb.SetConfigResponse, error) {
	logf("debug", "SetConfig")
	if fault("setconfig-once") {
		b.mu.Lock()
		done := b.greeting != ""
		b.mu.Unlock()
		if done {
			return nil, fmt.Errorf("already configured")
		}
	}
	if fault("reject-config") {
		return nil, errors.New("this plugin accepts no configuration")
	}
	v, err := ctymsgpack.Unmarshal(r.GetMsgpackConfig(), configType)
	if err != nil && fault("accept-malformed") {
		return &basepb.SetConfigResponse{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("msgpack_config: expected msgpack of object({greeting=string}), got: %v", err)
	}
	if fault("require-greeting") && v.GetAttr("greeting").AsString() == "hello" {
		return nil, errors.New(`greeting: expected a greeting of your own, got the default "hello"`)
	}
	setTopology(r.GetNomadConfig().GetDriver().GetTopology())
	b.mu.Lock()
	defer b.mu.Unlock()
	b.greeting = "set"
	if g := v.GetAttr("greeting"); !g.IsNull() {
		b.greeting = g.AsString()
	}
	return &basepb.SetConfigResponse{}, nil
}
