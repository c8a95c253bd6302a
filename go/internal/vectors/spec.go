package vectors

import (
	"fmt"

	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/internal/convert/specconv"
)

// Node is the JSON form of one hclspec node in the vector files: exactly one
// key, named after the proto field (object, array, attr, block, block_attrs,
// block_list, block_set, block_map, default, literal).
type Node map[string]any

// SpecNode writes a spec in the vector files' JSON form.
func SpecNode(s *hclspec.Spec) Node { return specNode(specconv.ToProto(s)) }

func specNode(s *hclspecpb.Spec) Node {
	switch b := s.GetBlock().(type) {
	case *hclspecpb.Spec_Object:
		attrs := map[string]Node{}
		for k, v := range b.Object.GetAttributes() {
			attrs[k] = specNode(v)
		}
		return Node{"object": attrs}
	case *hclspecpb.Spec_Array:
		vals := []Node{}
		for _, v := range b.Array.GetValues() {
			vals = append(vals, specNode(v))
		}
		return Node{"array": vals}
	case *hclspecpb.Spec_Attr:
		a := b.Attr
		return Node{"attr": map[string]any{"name": a.GetName(), "type": a.GetType(), "required": a.GetRequired()}}
	case *hclspecpb.Spec_BlockValue:
		v := b.BlockValue
		return Node{"block": map[string]any{"name": v.GetName(), "required": v.GetRequired(), "nested": specNode(v.GetNested())}}
	case *hclspecpb.Spec_BlockAttrs:
		v := b.BlockAttrs
		return Node{"block_attrs": map[string]any{"name": v.GetName(), "type": v.GetType(), "required": v.GetRequired()}}
	case *hclspecpb.Spec_BlockList:
		v := b.BlockList
		return Node{"block_list": map[string]any{"name": v.GetName(), "min_items": v.GetMinItems(), "max_items": v.GetMaxItems(), "nested": specNode(v.GetNested())}}
	case *hclspecpb.Spec_BlockSet:
		v := b.BlockSet
		return Node{"block_set": map[string]any{"name": v.GetName(), "min_items": v.GetMinItems(), "max_items": v.GetMaxItems(), "nested": specNode(v.GetNested())}}
	case *hclspecpb.Spec_BlockMap:
		v := b.BlockMap
		labels := append([]string{}, v.GetLabels()...)
		return Node{"block_map": map[string]any{"name": v.GetName(), "labels": labels, "nested": specNode(v.GetNested())}}
	case *hclspecpb.Spec_Default:
		v := b.Default
		return Node{"default": map[string]any{"primary": specNode(v.GetPrimary()), "default": specNode(v.GetDefault())}}
	case *hclspecpb.Spec_Literal:
		return Node{"literal": map[string]any{"value": b.Literal.GetValue()}}
	}
	panic(fmt.Sprintf("vectors: spec kind %T has no JSON form", s.GetBlock()))
}

// SpecVector is one schema and whether Nomad's converter accepts it.
type SpecVector struct {
	Name string `json:"name"`
	Spec Node   `json:"spec"`
	OK   bool   `json:"ok"`
	// Needs lists what an SDK must implement to check this vector; an SDK
	// skips vectors needing what it does not implement:
	// "hcl_expression": the outcome depends on parsing and evaluating a
	// literal's HCL expression (only Go parses arbitrary HCL).
	Needs   []string `json:"needs,omitempty"`
	GoError string   `json:"go_error,omitempty"`
}

type specCase struct {
	name  string
	spec  *hclspec.Spec
	needs []string
}

func specCases() []specCase {
	type A = hclspec.Attrs
	attr, obj := hclspec.Attr, hclspec.Object
	port := obj(A{"label": attr("label", "string", true), "to": attr("to", "number", false)})
	hclExpr := []string{"hcl_expression"}
	cs := []specCase{
		{"empty object", obj(A{}), nil},
		{"one attr", obj(A{"command": attr("command", "string", true)}), nil},
		{"attr at the top", attr("command", "string", false), nil},
		{"every kind", obj(A{
			"command": attr("command", "string", true),
			"args":    hclspec.Default(attr("args", "list(string)", false), hclspec.Literal("[]")),
			"env":     hclspec.BlockAttrs("env", "string", false),
			"port":    hclspec.BlockList("port", 0, 4, port),
			"volume":  hclspec.BlockSet("volume", 1, 0, port),
			"labels":  hclspec.BlockMap("labels", []string{"name"}, obj(A{"value": attr("value", "string", false)})),
			"logging": hclspec.Block("logging", false, obj(A{"driver": attr("driver", "string", false)})),
			"pair":    hclspec.Array(attr("a", "string", false), attr("b", "number", false)),
			"timeout": hclspec.Default(attr("timeout", "string", false), hclspec.Literal(`"5s"`)),
		}), nil},
		{"object key that is not an identifier", obj(A{"not an identifier": attr("x", "string", false)}), nil},
		{"unicode attr name", attr("é", "string", false), nil},
		{"attr name with dash", attr("a-b", "string", false), nil},
		{"attr name with underscore first", attr("_a", "string", false), nil},
		{"attr with optional object attr", attr("o", "object({a=optional(string)})", false), nil},
		{"attr with newline separated object", attr("o", "object({\na=string\nb=number\n})", false), nil},
		{"block_attrs any", hclspec.BlockAttrs("meta", "any", true), nil},
		{"block_list bounds equal", hclspec.BlockList("p", 2, 2, port), nil},
		{"block_list max 0 is unbounded", hclspec.BlockList("p", 5, 0, port), nil},
		{"block_map two labels", hclspec.BlockMap("m", []string{"a", "b"}, obj(A{})), nil},
		{"nested blocks", hclspec.Block("a", true, hclspec.Block("b", false, hclspec.BlockList("c", 0, 0, obj(A{"d": attr("d", "bool", false)})))), nil},
		{"default of defaults", hclspec.Default(attr("a", "number", false), hclspec.Default(attr("b", "number", false), hclspec.Literal("3"))), nil},
		{"literal number", hclspec.Literal("42"), nil},
		{"literal object", hclspec.Literal(`{a = 1, b = "x"}`), nil},
		{"literal list", hclspec.Literal(`["a", "b"]`), nil},
		{"literal string", hclspec.LiteralString("5s"), nil},
		{"empty array", hclspec.Array(), nil},
		// refused by every SDK
		{"empty attr name", attr("", "string", false), nil},
		{"attr name with a space", attr("a b", "string", false), nil},
		{"attr name starting with a digit", attr("1a", "string", false), nil},
		{"attr name starting with a dash", attr("-a", "string", false), nil},
		{"attr name with a dot", attr("a.b", "string", false), nil},
		{"attr bad type", attr("a", "lst(string)", false), nil},
		{"attr empty type", attr("a", "", false), nil},
		{"attr optional at top", attr("a", "optional(string)", false), nil},
		{"attr object without commas", attr("a", "object({a=string b=number})", false), nil},
		{"attr bad type deep inside", obj(A{"a": obj(A{"b": attr("b", "lisst(string)", false)})}), nil},
		{"block_attrs bad type", hclspec.BlockAttrs("env", "map", false), nil},
		{"block_attrs empty name", hclspec.BlockAttrs("", "string", false), nil},
		{"block empty name", hclspec.Block("", false, obj(A{})), nil},
		{"block bad name", hclspec.Block("a b", false, obj(A{})), nil},
		{"block bad nested", hclspec.Block("b", false, attr("x", "strin", false)), nil},
		{"block_list min above max", hclspec.BlockList("p", 3, 1, port), nil},
		{"block_set min above max", hclspec.BlockSet("p", 5, 4, port), nil},
		{"block_list min too large", hclspec.BlockList("p", 1<<31, 0, port), nil},
		{"block_list max too large", hclspec.BlockList("p", 0, 1<<32, port), nil},
		{"block_list bad name", hclspec.BlockList("9p", 0, 0, port), nil},
		{"block_set empty name", hclspec.BlockSet("", 0, 0, port), nil},
		{"block_map no labels", hclspec.BlockMap("m", []string{}, obj(A{})), nil},
		{"block_map empty label", hclspec.BlockMap("m", []string{""}, obj(A{})), nil},
		{"block_map bad label", hclspec.BlockMap("m", []string{"a b"}, obj(A{})), nil},
		{"block_map bad name", hclspec.BlockMap("m m", []string{"a"}, obj(A{})), nil},
		{"default bad primary", hclspec.Default(attr("a", "nope", false), hclspec.Literal("1")), nil},
		{"default bad fallback", hclspec.Default(attr("a", "number", false), attr("", "number", false)), nil},
		{"array bad member", hclspec.Array(attr("a", "string", false), attr("b", "tuple", false)), nil},
		{"empty literal", hclspec.Literal(""), nil},
		{"blank literal", hclspec.Literal("  \n"), nil},
		{"literal with a variable", hclspec.Literal("var.x"), hclExpr},
		{"literal that does not parse", hclspec.Literal("[1,"), hclExpr},
		{"literal calling a function", hclspec.Literal(`upper("x")`), hclExpr},
		{"default with a bad literal", hclspec.Default(attr("a", "number", false), hclspec.Literal("1 +")), hclExpr},
	}
	return cs
}

// Specs computes every spec vector with Go's converter.
func Specs() []SpecVector {
	var out []SpecVector
	for _, c := range specCases() {
		v := SpecVector{Name: c.name, Spec: SpecNode(c.spec), Needs: c.needs}
		if _, err := hclspec.Convert(c.spec); err != nil {
			v.GoError = err.Error()
		} else {
			v.OK = true
		}
		out = append(out, v)
	}
	return out
}
