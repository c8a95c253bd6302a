package hclspec

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/yurt-sdk/yurt/go/internal/convert/specconv/spechook"
)

// Spec is a configuration schema: what a plugin returns from ConfigSchema
// and TaskConfigSchema, and what DecodeHCL, DecodeBody and DecodeMsgpack
// decode with. It is opaque: build one with the constructors (Object, Attr,
// Block, ...), or read one received from another process with Unmarshal.
// A nil *Spec is "no schema" (accepts only an empty body); the zero Spec has
// no kind and Convert rejects it.
type Spec struct {
	// pb is the wire form. The SDK keeps it rather than a tree of its own
	// so that a schema received from the wire, valid or not, converts with
	// exactly the errors Nomad's converter would report.
	pb *hclspecpb.Spec
}

func init() {
	spechook.Wrap = func(p *hclspecpb.Spec) any { return wrap(p) }
	spechook.Unwrap = func(s any) *hclspecpb.Spec { return s.(*Spec).wire() }
}

// wrap holds a wire spec; nil stays nil.
func wrap(p *hclspecpb.Spec) *Spec {
	if p == nil {
		return nil
	}
	return &Spec{pb: p}
}

// wire is s's wire form: nil for a nil s, a message with no kind for the
// zero Spec.
func (s *Spec) wire() *hclspecpb.Spec {
	if s == nil {
		return nil
	}
	if s.pb == nil {
		return &hclspecpb.Spec{}
	}
	return s.pb
}

func wireMap(m Attrs) map[string]*hclspecpb.Spec {
	if m == nil {
		return nil
	}
	out := make(map[string]*hclspecpb.Spec, len(m))
	for k, v := range m {
		out[k] = v.wire()
	}
	return out
}

func wireList(l []*Spec) []*hclspecpb.Spec {
	if l == nil {
		return nil
	}
	out := make([]*hclspecpb.Spec, len(l))
	for i, v := range l {
		out[i] = v.wire()
	}
	return out
}

// Marshal encodes s as the protobuf message
// hashicorp.nomad.plugins.shared.hclspec.Spec, the form Nomad's plugins send
// in ConfigSchema and TaskConfigSchema. A nil s encodes as zero bytes.
func (s *Spec) Marshal() ([]byte, error) {
	if s == nil {
		return nil, nil
	}
	b, err := proto.Marshal(s.wire())
	if err != nil {
		return nil, fmt.Errorf("hclspec: encoding spec: %w", err)
	}
	return b, nil
}

// Unmarshal decodes the protobuf message
// hashicorp.nomad.plugins.shared.hclspec.Spec (what Marshal writes, or a
// schema as received from a plugin). Zero bytes are a spec with no kind, as
// protobuf reads them; the schema's own validity is Convert's business.
func Unmarshal(b []byte) (*Spec, error) {
	p := &hclspecpb.Spec{}
	if err := proto.Unmarshal(b, p); err != nil {
		return nil, fmt.Errorf("hclspec: decoding spec: %w (expected a serialized hashicorp.nomad.plugins.shared.hclspec.Spec)", err)
	}
	return wrap(p), nil
}
