package specconv

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/yurt-sdk/yurt/go/hclspec"
)

func TestNil(t *testing.T) {
	assert.Nil(t, FromProto(nil))
	assert.Nil(t, ToProto(nil))
}

func TestZeroSpecIsMessageWithoutKind(t *testing.T) {
	p := ToProto(&hclspec.Spec{})
	require.NotNil(t, p)
	assert.Nil(t, p.GetBlock())
}

func TestBuilderToProto(t *testing.T) {
	s := hclspec.Object(hclspec.Attrs{
		"cmd": hclspec.Attr("cmd", "string", true),
		"t":   hclspec.Default(hclspec.Attr("t", "string", false), hclspec.Literal(`"5s"`)),
	})
	want := &hclspecpb.Spec{Block: &hclspecpb.Spec_Object{Object: &hclspecpb.Object{Attributes: map[string]*hclspecpb.Spec{
		"cmd": {Block: &hclspecpb.Spec_Attr{Attr: &hclspecpb.Attr{Name: "cmd", Type: "string", Required: true}}},
		"t": {Block: &hclspecpb.Spec_Default{Default: &hclspecpb.Default{
			Primary: &hclspecpb.Spec{Block: &hclspecpb.Spec_Attr{Attr: &hclspecpb.Attr{Name: "t", Type: "string"}}},
			Default: &hclspecpb.Spec{Block: &hclspecpb.Spec_Literal{Literal: &hclspecpb.Literal{Value: `"5s"`}}},
		}}},
	}}}}
	assert.True(t, proto.Equal(want, ToProto(s)), "got %v", ToProto(s))
}

// A spec from the wire keeps its exact form, invalid parts included, so
// Convert reports what Nomad's converter would.
func TestFromProtoKeepsInvalidWireSpec(t *testing.T) {
	p := &hclspecpb.Spec{Block: &hclspecpb.Spec_BlockValue{BlockValue: &hclspecpb.Block{Name: "b"}}}
	s := FromProto(p)
	_, err := hclspec.Convert(s)
	var e *hclspec.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "spec.block_value.nested", e.Path)
	assert.Same(t, p, ToProto(s))
}

func TestMarshalRoundTrip(t *testing.T) {
	s := hclspec.BlockList("port", 1, 2, hclspec.Attr("to", "number", false))
	b, err := s.Marshal()
	require.NoError(t, err)
	var p hclspecpb.Spec
	require.NoError(t, proto.Unmarshal(b, &p))
	assert.True(t, proto.Equal(ToProto(s), &p))
	back, err := hclspec.Unmarshal(b)
	require.NoError(t, err)
	assert.True(t, proto.Equal(&p, ToProto(back)))
	_, err = hclspec.Unmarshal([]byte{0xff})
	assert.ErrorContains(t, err, "hclspec: decoding spec")
}
