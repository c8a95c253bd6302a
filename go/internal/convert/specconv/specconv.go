// Package specconv converts hclspec.Spec, the SDK's schema type, to the
// generated wire message hashicorp.nomad.plugins.shared.hclspec.Spec and
// back. It is internal: the public API speaks only hclspec.Spec. Both
// directions share the message (no copy): a caller must not change a
// message after handing it over.
package specconv

import (
	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/internal/convert/specconv/spechook"
)

// FromProto wraps a wire spec; nil stays nil.
func FromProto(p *hclspecpb.Spec) *hclspec.Spec {
	if p == nil {
		return nil
	}
	return spechook.Wrap(p).(*hclspec.Spec)
}

// ToProto is the wire form of s; nil stays nil, and a zero Spec is a
// message with no kind set (which Convert rejects).
func ToProto(s *hclspec.Spec) *hclspecpb.Spec {
	if s == nil {
		return nil
	}
	return spechook.Unwrap(s)
}
