package hclspec

import (
	"fmt"
	"strings"

	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
)

// Attrs names the members of an Object.
type Attrs = map[string]*Spec

// Object decodes one body into an object whose attribute names are the keys
// of attrs.
func Object(attrs Attrs) *Spec {
	return wrap(&hclspecpb.Spec{Block: &hclspecpb.Spec_Object{Object: &hclspecpb.Object{Attributes: wireMap(attrs)}}})
}

// Array decodes into a tuple of the given specs, in order.
func Array(values ...*Spec) *Spec {
	return wrap(&hclspecpb.Spec{Block: &hclspecpb.Spec_Array{Array: &hclspecpb.Array{Values: wireList(values)}}})
}

// Attr is the attribute `name = <expr>`; typ is an HCL type expression such
// as "string", "list(string)" or "map(number)".
func Attr(name, typ string, required bool) *Spec {
	return wrap(&hclspecpb.Spec{Block: &hclspecpb.Spec_Attr{Attr: &hclspecpb.Attr{Name: name, Type: typ, Required: required}}})
}

// Block is a single nested block `name { ... }` decoded with nested.
func Block(name string, required bool, nested *Spec) *Spec {
	return wrap(&hclspecpb.Spec{Block: &hclspecpb.Spec_BlockValue{BlockValue: &hclspecpb.Block{Name: name, Required: required, Nested: nested.wire()}}})
}

// BlockAttrs is a block whose attributes all have type typ, decoded as a map.
func BlockAttrs(name, typ string, required bool) *Spec {
	return wrap(&hclspecpb.Spec{Block: &hclspecpb.Spec_BlockAttrs{BlockAttrs: &hclspecpb.BlockAttrs{Name: name, Type: typ, Required: required}}})
}

// BlockList is a repeated block decoded as a list. minItems and maxItems of
// zero mean no bound.
func BlockList(name string, minItems, maxItems uint64, nested *Spec) *Spec {
	return wrap(&hclspecpb.Spec{Block: &hclspecpb.Spec_BlockList{BlockList: &hclspecpb.BlockList{Name: name, MinItems: minItems, MaxItems: maxItems, Nested: nested.wire()}}})
}

// BlockSet is a repeated block decoded as a set. minItems and maxItems of
// zero mean no bound.
func BlockSet(name string, minItems, maxItems uint64, nested *Spec) *Spec {
	return wrap(&hclspecpb.Spec{Block: &hclspecpb.Spec_BlockSet{BlockSet: &hclspecpb.BlockSet{Name: name, MinItems: minItems, MaxItems: maxItems, Nested: nested.wire()}}})
}

// BlockMap is a repeated labelled block decoded as a map keyed by its labels
// (one map level per label).
func BlockMap(name string, labels []string, nested *Spec) *Spec {
	return wrap(&hclspecpb.Spec{Block: &hclspecpb.Spec_BlockMap{BlockMap: &hclspecpb.BlockMap{Name: name, Labels: labels, Nested: nested.wire()}}})
}

// Default yields primary, or fallback when primary decodes to null.
func Default(primary, fallback *Spec) *Spec {
	return wrap(&hclspecpb.Spec{Block: &hclspecpb.Spec_Default{Default: &hclspecpb.Default{Primary: primary.wire(), Default: fallback.wire()}}})
}

// Literal is a constant written as an HCL expression, e.g. `"5s"`, `[]`,
// `true`, `{a = 1}`.
func Literal(expr string) *Spec {
	return wrap(&hclspecpb.Spec{Block: &hclspecpb.Spec_Literal{Literal: &hclspecpb.Literal{Value: expr}}})
}

// LiteralString is a Literal holding the string s, quoted and escaped for HCL.
func LiteralString(s string) *Spec {
	return Literal(quoteHCL(s))
}

// quoteHCL writes s as an HCL string literal. HCL knows fewer escapes than
// Go, so control characters become \uNNNN, and the template sequences `${`
// and `%{` are doubled so that s is taken verbatim.
func quoteHCL(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
