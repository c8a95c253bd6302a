package baseconv

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/structspb"
	"github.com/yurt-sdk/yurt/go/plugin/base"
)

// The converters below map the hand-written types to the generated wire
// messages and back. nil maps to nil both ways; a zero value maps to a
// zero (non-nil) message.

// PluginInfoToProto converts the SDK's PluginInfo to its wire message; PluginInfoFromProto is
// the inverse.
func PluginInfoToProto(p *base.PluginInfo) *basepb.PluginInfoResponse {
	if p == nil {
		return nil
	}
	return &basepb.PluginInfoResponse{
		Type:              basepb.PluginType(p.Type),
		PluginApiVersions: p.APIVersions,
		PluginVersion:     p.Version,
		Name:              p.Name,
	}
}

// PluginInfoFromProto converts the wire message to the SDK's PluginInfo; PluginInfoToProto is
// the inverse.
func PluginInfoFromProto(p *basepb.PluginInfoResponse) *base.PluginInfo {
	if p == nil {
		return nil
	}
	return &base.PluginInfo{
		Type:        base.PluginType(p.GetType()),
		APIVersions: p.GetPluginApiVersions(),
		Version:     p.GetPluginVersion(),
		Name:        p.GetName(),
	}
}

// ConfigToProto converts the SDK's Config to its wire message; ConfigFromProto is
// the inverse.
func ConfigToProto(c *base.Config) *basepb.SetConfigRequest {
	if c == nil {
		return nil
	}
	req := &basepb.SetConfigRequest{MsgpackConfig: c.MsgpackConfig, PluginApiVersion: c.APIVersion}
	if c.Agent != nil {
		req.NomadConfig = &basepb.NomadConfig{Driver: &basepb.NomadDriverConfig{
			ClientMinPort: c.Agent.ClientMinPort,
			ClientMaxPort: c.Agent.ClientMaxPort,
			Topology:      topologyToProto(c.Agent.Topology),
		}}
	}
	return req
}

// ConfigFromProto converts the wire message to the SDK's Config; ConfigToProto is
// the inverse.
func ConfigFromProto(r *basepb.SetConfigRequest) *base.Config {
	if r == nil {
		return nil
	}
	c := &base.Config{MsgpackConfig: r.GetMsgpackConfig(), APIVersion: r.GetPluginApiVersion()}
	if d := r.GetNomadConfig().GetDriver(); d != nil {
		c.Agent = &base.AgentConfig{
			ClientMinPort: d.GetClientMinPort(),
			ClientMaxPort: d.GetClientMaxPort(),
			Topology:      topologyFromProto(d.GetTopology()),
		}
	}
	return c
}

func topologyToProto(t *base.Topology) *basepb.ClientTopology {
	if t == nil {
		return nil
	}
	out := &basepb.ClientTopology{
		NodeIds:                t.NodeIDs,
		OverrideTotalCompute:   t.OverrideTotalCompute,
		OverrideWitholdCompute: t.OverrideWitholdCompute,
	}
	if t.Distances != nil {
		out.Distances = &basepb.ClientTopologySLIT{Dimension: t.Distances.Dimension, Values: t.Distances.Values}
	}
	for _, c := range t.Cores {
		out.Cores = append(out.Cores, &basepb.ClientTopologyCore{
			SocketId: c.SocketID, NodeId: c.NodeID, CoreId: c.CoreID,
			CoreGrade: basepb.CoreGrade(c.Grade), Disable: c.Disable,
			BaseSpeed: c.BaseSpeed, MaxSpeed: c.MaxSpeed, GuessSpeed: c.GuessSpeed,
		})
	}
	return out
}

func topologyFromProto(t *basepb.ClientTopology) *base.Topology {
	if t == nil {
		return nil
	}
	out := &base.Topology{
		NodeIDs:                t.GetNodeIds(),
		OverrideTotalCompute:   t.GetOverrideTotalCompute(),
		OverrideWitholdCompute: t.GetOverrideWitholdCompute(),
	}
	if d := t.GetDistances(); d != nil {
		out.Distances = &base.NodeDistances{Dimension: d.GetDimension(), Values: d.GetValues()}
	}
	for _, c := range t.GetCores() {
		if c == nil {
			continue
		}
		out.Cores = append(out.Cores, base.Core{
			SocketID: c.GetSocketId(), NodeID: c.GetNodeId(), CoreID: c.GetCoreId(),
			Grade: base.CoreGrade(c.GetCoreGrade()), Disable: c.GetDisable(),
			BaseSpeed: c.GetBaseSpeed(), MaxSpeed: c.GetMaxSpeed(), GuessSpeed: c.GetGuessSpeed(),
		})
	}
	return out
}

// AttributeToProto converts the SDK's Attribute to its wire message; AttributeFromProto is
// the inverse.
func AttributeToProto(a *base.Attribute) *structspb.Attribute {
	if a == nil {
		return nil
	}
	out := &structspb.Attribute{Unit: a.Unit}
	switch a.Kind {
	case base.AttributeFloat:
		out.Value = &structspb.Attribute_FloatVal{FloatVal: a.Float}
	case base.AttributeInt:
		out.Value = &structspb.Attribute_IntVal{IntVal: a.Int}
	case base.AttributeString:
		out.Value = &structspb.Attribute_StringVal{StringVal: a.String}
	case base.AttributeBool:
		out.Value = &structspb.Attribute_BoolVal{BoolVal: a.Bool}
	}
	return out
}

// AttributeFromProto converts the wire message to the SDK's Attribute; AttributeToProto is
// the inverse.
func AttributeFromProto(a *structspb.Attribute) *base.Attribute {
	if a == nil {
		return nil
	}
	out := &base.Attribute{Unit: a.GetUnit()}
	switch v := a.GetValue().(type) {
	case *structspb.Attribute_FloatVal:
		out.Kind, out.Float = base.AttributeFloat, v.FloatVal
	case *structspb.Attribute_IntVal:
		out.Kind, out.Int = base.AttributeInt, v.IntVal
	case *structspb.Attribute_StringVal:
		out.Kind, out.String = base.AttributeString, v.StringVal
	case *structspb.Attribute_BoolVal:
		out.Kind, out.Bool = base.AttributeBool, v.BoolVal
	}
	return out
}

// AttributesToProto converts the SDK's Attributes to its wire message; AttributesFromProto is
// the inverse.
func AttributesToProto(m map[string]*base.Attribute) map[string]*structspb.Attribute {
	if m == nil {
		return nil
	}
	out := make(map[string]*structspb.Attribute, len(m))
	for k, v := range m {
		if v != nil {
			out[k] = AttributeToProto(v)
		}
	}
	return out
}

// AttributesFromProto converts the wire message to the SDK's Attributes; AttributesToProto is
// the inverse.
func AttributesFromProto(m map[string]*structspb.Attribute) map[string]*base.Attribute {
	if m == nil {
		return nil
	}
	out := make(map[string]*base.Attribute, len(m))
	for k, v := range m {
		if v != nil {
			out[k] = AttributeFromProto(v)
		}
	}
	return out
}

// StatValueToProto converts the SDK's StatValue to its wire message; StatValueFromProto is
// the inverse.
func StatValueToProto(v *base.StatValue) *structspb.StatValue {
	if v == nil {
		return nil
	}
	out := &structspb.StatValue{Unit: v.Unit, Desc: v.Desc}
	if v.FloatNumerator != nil {
		out.FloatNumeratorVal = wrapperspb.Double(*v.FloatNumerator)
	}
	if v.FloatDenominator != nil {
		out.FloatDenominatorVal = wrapperspb.Double(*v.FloatDenominator)
	}
	if v.IntNumerator != nil {
		out.IntNumeratorVal = wrapperspb.Int64(*v.IntNumerator)
	}
	if v.IntDenominator != nil {
		out.IntDenominatorVal = wrapperspb.Int64(*v.IntDenominator)
	}
	if v.String != nil {
		out.StringVal = wrapperspb.String(*v.String)
	}
	if v.Bool != nil {
		out.BoolVal = wrapperspb.Bool(*v.Bool)
	}
	return out
}

// StatValueFromProto converts the wire message to the SDK's StatValue; StatValueToProto is
// the inverse.
func StatValueFromProto(v *structspb.StatValue) *base.StatValue {
	if v == nil {
		return nil
	}
	out := &base.StatValue{Unit: v.GetUnit(), Desc: v.GetDesc()}
	if w := v.GetFloatNumeratorVal(); w != nil {
		out.FloatNumerator = base.Ptr(w.GetValue())
	}
	if w := v.GetFloatDenominatorVal(); w != nil {
		out.FloatDenominator = base.Ptr(w.GetValue())
	}
	if w := v.GetIntNumeratorVal(); w != nil {
		out.IntNumerator = base.Ptr(w.GetValue())
	}
	if w := v.GetIntDenominatorVal(); w != nil {
		out.IntDenominator = base.Ptr(w.GetValue())
	}
	if w := v.GetStringVal(); w != nil {
		out.String = base.Ptr(w.GetValue())
	}
	if w := v.GetBoolVal(); w != nil {
		out.Bool = base.Ptr(w.GetValue())
	}
	return out
}

// StatObjectToProto converts the SDK's StatObject to its wire message; StatObjectFromProto is
// the inverse.
func StatObjectToProto(o *base.StatObject) *structspb.StatObject {
	if o == nil {
		return nil
	}
	out := &structspb.StatObject{}
	if o.Nested != nil {
		out.Nested = make(map[string]*structspb.StatObject, len(o.Nested))
		for k, v := range o.Nested {
			if v != nil {
				out.Nested[k] = StatObjectToProto(v)
			}
		}
	}
	if o.Attributes != nil {
		out.Attributes = make(map[string]*structspb.StatValue, len(o.Attributes))
		for k, v := range o.Attributes {
			if v != nil {
				out.Attributes[k] = StatValueToProto(v)
			}
		}
	}
	return out
}

// StatObjectFromProto converts the wire message to the SDK's StatObject; StatObjectToProto is
// the inverse.
func StatObjectFromProto(o *structspb.StatObject) *base.StatObject {
	if o == nil {
		return nil
	}
	out := &base.StatObject{}
	if o.GetNested() != nil {
		out.Nested = make(map[string]*base.StatObject, len(o.GetNested()))
		for k, v := range o.GetNested() {
			if v != nil {
				out.Nested[k] = StatObjectFromProto(v)
			}
		}
	}
	if o.GetAttributes() != nil {
		out.Attributes = make(map[string]*base.StatValue, len(o.GetAttributes()))
		for k, v := range o.GetAttributes() {
			if v != nil {
				out.Attributes[k] = StatValueFromProto(v)
			}
		}
	}
	return out
}

// TimeToProto maps the zero time to nil (unset).
func TimeToProto(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

// TimeToProtoSet always returns a timestamp: the zero time becomes Go's zero
// time, 0001-01-01T00:00:00Z (seconds -62135596800). Nomad's own plugin
// server sends TaskStatus times this way (hashicorp/nomad v2.0.5
// plugins/drivers/utils.go taskStatusToProto), and Nomad's client fails on a
// missing one (taskStatusFromProto).
func TimeToProtoSet(t time.Time) *timestamppb.Timestamp { return timestamppb.New(t) }

// TimeFromProto maps nil to the zero time; times are in UTC.
func TimeFromProto(t *timestamppb.Timestamp) time.Time {
	if t == nil {
		return time.Time{}
	}
	return utcOrZero(t.AsTime())
}

// utcOrZero keeps time conversion symmetric: the zero time means "unset".
func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}
