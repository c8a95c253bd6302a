// Package spechook lets go/hclspec hand its wire conversions to specconv
// without exporting them: hclspec sets the two functions in its init, and
// specconv (which imports hclspec, so that init has run) calls them. Nothing
// else may use it; specconv.FromProto and specconv.ToProto are the API.
package spechook

import "github.com/yurt-sdk/yurt/go/gen/hclspecpb"

var (
	// Wrap turns a non-nil wire spec into a *hclspec.Spec (as any: this
	// package cannot name hclspec's type without an import cycle).
	Wrap func(*hclspecpb.Spec) any
	// Unwrap returns the wire form of a non-nil *hclspec.Spec.
	Unwrap func(any) *hclspecpb.Spec
)
