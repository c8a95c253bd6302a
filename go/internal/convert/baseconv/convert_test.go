package baseconv

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/structspb"
	"github.com/yurt-sdk/yurt/go/plugin/base"
)

func TestConvertNil(t *testing.T) {
	assert.Nil(t, PluginInfoToProto(nil))
	assert.Nil(t, PluginInfoFromProto(nil))
	assert.Nil(t, ConfigToProto(nil))
	assert.Nil(t, ConfigFromProto(nil))
	assert.Nil(t, AttributeToProto(nil))
	assert.Nil(t, AttributeFromProto(nil))
	assert.Nil(t, AttributesToProto(nil))
	assert.Nil(t, AttributesFromProto(nil))
	assert.Nil(t, StatValueToProto(nil))
	assert.Nil(t, StatValueFromProto(nil))
	assert.Nil(t, StatObjectToProto(nil))
	assert.Nil(t, StatObjectFromProto(nil))
	assert.Nil(t, TimeToProto(time.Time{}))
	assert.True(t, TimeFromProto(nil).IsZero())
}

func TestConvertZero(t *testing.T) {
	assert.True(t, proto.Equal(&basepb.PluginInfoResponse{}, PluginInfoToProto(&base.PluginInfo{})))
	assert.Equal(t, &base.PluginInfo{}, PluginInfoFromProto(&basepb.PluginInfoResponse{}))
	assert.True(t, proto.Equal(&basepb.SetConfigRequest{}, ConfigToProto(&base.Config{})))
	assert.Equal(t, &base.Config{}, ConfigFromProto(&basepb.SetConfigRequest{}))
	// An agent config with no driver part means no agent config.
	assert.Nil(t, ConfigFromProto(&basepb.SetConfigRequest{NomadConfig: &basepb.NomadConfig{}}).Agent)
	assert.Equal(t, &base.AgentConfig{}, ConfigFromProto(ConfigToProto(&base.Config{Agent: &base.AgentConfig{}})).Agent)
	assert.Equal(t, &base.Attribute{}, AttributeFromProto(&structspb.Attribute{}))
	assert.Equal(t, &base.StatValue{}, StatValueFromProto(&structspb.StatValue{}))
	assert.Equal(t, &base.StatObject{}, StatObjectFromProto(&structspb.StatObject{}))
}

func TestConvertRoundTrip(t *testing.T) {
	info := &base.PluginInfo{Type: base.PluginTypeDriver, APIVersions: []string{base.APIVersion010}, Version: "1.2.3", Name: "x"}
	assert.Equal(t, info, PluginInfoFromProto(PluginInfoToProto(info)))

	cfg := &base.Config{MsgpackConfig: []byte{0x80}, APIVersion: base.APIVersion010, Agent: &base.AgentConfig{
		ClientMinPort: 1, ClientMaxPort: 2,
		Topology: &base.Topology{NodeIDs: []uint32{0, 1}, Distances: &base.NodeDistances{Dimension: 2, Values: []uint32{10, 20, 20, 10}},
			Cores:                []base.Core{{SocketID: 1, NodeID: 1, CoreID: 3, Grade: base.CoreGradeEfficiency, Disable: true, BaseSpeed: 1, MaxSpeed: 2, GuessSpeed: 3}},
			OverrideTotalCompute: 5, OverrideWitholdCompute: 6},
	}}
	assert.Equal(t, cfg, ConfigFromProto(ConfigToProto(cfg)))

	attrs := map[string]*base.Attribute{
		"f": base.NewFloatAttribute(1.5, "GHz"), "i": base.NewIntAttribute(-3, "MiB"), "s": base.NewStringAttribute(""),
		"b": base.NewBoolAttribute(false), "none": {Unit: "W"},
	}
	assert.Equal(t, attrs, AttributesFromProto(AttributesToProto(attrs)))

	obj := &base.StatObject{
		Nested: map[string]*base.StatObject{"n": {Attributes: map[string]*base.StatValue{"z": {}}}},
		Attributes: map[string]*base.StatValue{
			"v": {FloatNumerator: base.Ptr(0.0), FloatDenominator: base.Ptr(2.5), IntNumerator: base.Ptr(int64(0)), IntDenominator: base.Ptr(int64(9)),
				String: base.Ptr(""), Bool: base.Ptr(false), Unit: "MiB", Desc: "d"},
		},
	}
	assert.Equal(t, obj, StatObjectFromProto(StatObjectToProto(obj)))

	now := time.Now().UTC()
	assert.True(t, now.Equal(TimeFromProto(TimeToProto(now))))
}

func TestStatusError(t *testing.T) {
	assert.Nil(t, StatusError(nil))

	st, _ := status.FromError(StatusError(errors.New("boom")))
	assert.Equal(t, codes.Unknown, st.Code())
	assert.Equal(t, "boom", st.Message())

	rec := StatusError(base.NewRecoverableError(errors.New("image pull"), true))
	st, _ = status.FromError(rec)
	assert.Equal(t, codes.FailedPrecondition, st.Code())
	require.Len(t, st.Details(), 1)
	assert.True(t, st.Details()[0].(*structspb.RecoverableError).GetRecoverable())
	back := ErrorFromStatus(rec)
	assert.True(t, base.IsRecoverable(back))
	assert.EqualError(t, back, "image pull")

	nonrec := ErrorFromStatus(StatusError(base.NewRecoverableError(errors.New("bad"), false)))
	var re *base.RecoverableError
	require.True(t, errors.As(nonrec, &re))
	assert.False(t, re.Recoverable)

	pass := status.Error(codes.Unimplemented, "nope")
	assert.Equal(t, pass, StatusError(pass))
	assert.Nil(t, base.NewRecoverableError(nil, true))
}

func TestTopologyCompute(t *testing.T) {
	var none *base.Topology
	assert.Zero(t, none.TotalCompute())
	top := &base.Topology{Cores: []base.Core{{BaseSpeed: 2000, MaxSpeed: 3000}, {MaxSpeed: 3000}, {GuessSpeed: 1500}}}
	assert.Equal(t, []uint64{2000, 3000, 1500}, []uint64{top.Cores[0].MHz(), top.Cores[1].MHz(), top.Cores[2].MHz()})
	assert.Equal(t, uint64(6500), top.TotalCompute())
	top.OverrideTotalCompute = 4000
	assert.Equal(t, uint64(4000), top.TotalCompute())
}
