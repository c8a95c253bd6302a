package conformance

import (
	"google.golang.org/protobuf/proto"

	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/yurt-sdk/yurt/go/hclspec"
)

// specFromWire turns a schema as the plugin sent it into the SDK's
// hclspec.Spec through its serialized form (the harness speaks the raw wire;
// the SDK's public API takes no generated type). nil stays nil.
func specFromWire(p *hclspecpb.Spec) (*hclspec.Spec, error) {
	if p == nil {
		return nil, nil
	}
	b, err := proto.Marshal(p)
	if err != nil {
		return nil, err
	}
	return hclspec.Unmarshal(b)
}
