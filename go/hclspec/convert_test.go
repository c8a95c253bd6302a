package hclspec

import (
	"errors"
	"testing"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"

	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
)

func TestConvertValid(t *testing.T) {
	tests := []struct {
		name string
		spec *Spec
		want hcldec.Spec
	}{
		{"attr", Attr("command", "string", true),
			&hcldec.AttrSpec{Name: "command", Type: cty.String, Required: true}},
		{"attr list", Attr("args", "list(string)", false),
			&hcldec.AttrSpec{Name: "args", Type: cty.List(cty.String)}},
		{"attr any", Attr("x", "any", false),
			&hcldec.AttrSpec{Name: "x", Type: cty.DynamicPseudoType}},
		{"attr object type", Attr("o", "object({a=number, b=list(bool)})", false),
			&hcldec.AttrSpec{Name: "o", Type: cty.Object(map[string]cty.Type{"a": cty.Number, "b": cty.List(cty.Bool)})}},
		{"object", Object(Attrs{"a": Attr("a", "number", false)}),
			hcldec.ObjectSpec{"a": &hcldec.AttrSpec{Name: "a", Type: cty.Number}}},
		{"object nil map", Object(nil), hcldec.ObjectSpec{}},
		{"array", Array(Literal("1"), Attr("b", "bool", false)),
			hcldec.TupleSpec{&hcldec.LiteralSpec{Value: cty.MustParseNumberVal("1")}, &hcldec.AttrSpec{Name: "b", Type: cty.Bool}}},
		{"array empty", Array(), hcldec.TupleSpec{}},
		{"block", Block("net", true, Object(Attrs{"m": Attr("mode", "string", false)})),
			&hcldec.BlockSpec{TypeName: "net", Required: true, Nested: hcldec.ObjectSpec{"m": &hcldec.AttrSpec{Name: "mode", Type: cty.String}}}},
		{"block attrs", BlockAttrs("env", "string", false),
			&hcldec.BlockAttrsSpec{TypeName: "env", ElementType: cty.String}},
		{"block list", BlockList("port", 1, 3, Attr("n", "number", true)),
			&hcldec.BlockListSpec{TypeName: "port", MinItems: 1, MaxItems: 3, Nested: &hcldec.AttrSpec{Name: "n", Type: cty.Number, Required: true}}},
		{"block list unbounded", BlockList("port", 0, 0, Attr("n", "number", false)),
			&hcldec.BlockListSpec{TypeName: "port", Nested: &hcldec.AttrSpec{Name: "n", Type: cty.Number}}},
		{"block set", BlockSet("s", 0, 2, Attr("n", "string", false)),
			&hcldec.BlockSetSpec{TypeName: "s", MaxItems: 2, Nested: &hcldec.AttrSpec{Name: "n", Type: cty.String}}},
		{"block map", BlockMap("svc", []string{"name"}, Attr("port", "number", false)),
			&hcldec.BlockMapSpec{TypeName: "svc", LabelNames: []string{"name"}, Nested: &hcldec.AttrSpec{Name: "port", Type: cty.Number}}},
		{"default", Default(Attr("t", "string", false), Literal(`"5s"`)),
			&hcldec.DefaultSpec{Primary: &hcldec.AttrSpec{Name: "t", Type: cty.String}, Default: &hcldec.LiteralSpec{Value: cty.StringVal("5s")}}},
		{"literal list", Literal(`["a", "b"]`),
			&hcldec.LiteralSpec{Value: cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})}},
		{"literal empty tuple", Literal(`[]`), &hcldec.LiteralSpec{Value: cty.EmptyTupleVal}},
		{"literal null", Literal(`null`), &hcldec.LiteralSpec{Value: cty.NullVal(cty.DynamicPseudoType)}},
		{"literal string escapes", LiteralString("a\"b\\c\n${x}%{y}\x01"),
			&hcldec.LiteralSpec{Value: cty.StringVal("a\"b\\c\n${x}%{y}\x01")}},
		{"literal string empty", LiteralString(""), &hcldec.LiteralSpec{Value: cty.StringVal("")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Convert(tt.spec)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestConvertErrors(t *testing.T) {
	tests := []struct {
		name     string
		spec     *Spec
		wantPath string
		wantMsg  string
	}{
		{"zero spec", &Spec{}, "spec", "no spec kind set"},
		{"nil object member", Object(Attrs{"a": nil}), `spec.object["a"]`, "spec is missing (nil)"},
		{"zero object member", Object(Attrs{"a": {}}), `spec.object["a"]`, "no spec kind set"},
		{"empty object key", Object(Attrs{"": Attr("x", "string", false)}), `spec.object[""]`, "key is empty"},
		{"first error is stable", Object(Attrs{"b": {}, "a": {}}), `spec.object["a"]`, "no spec kind set"},
		{"attr no name", Attr("", "string", false), "spec.Attr.name", "name is empty"},
		{"attr bad name", Attr("a b", "string", false), "spec.Attr.name", `name "a b" is not an HCL identifier`},
		{"attr no type", Attr("a", "", false), "spec.Attr.type", "type is empty"},
		{"attr bad type", Attr("a", "lst(string)", false), "spec.Attr.type", `type "lst(string)" is not an HCL type expression`},
		{"attr unparsable type", Attr("a", "list(", false), "spec.Attr.type", "is not an HCL expression"},
		{"attr nil message", wrap(&hclspecpb.Spec{Block: &hclspecpb.Spec_Attr{}}), "spec.Attr.name", "name is empty"},
		{"array member", Array(Literal("1"), &Spec{}), "spec.array.values[1]", "no spec kind set"},
		{"block nil nested", Block("b", false, nil), "spec.block_value.nested", "nested spec is missing"},
		{"block nested path", Block("b", false, Object(Attrs{"x": Attr("x", "strin", false)})),
			`spec.block_value.nested.object["x"].Attr.type`, `type "strin"`},
		{"block attrs bad type", BlockAttrs("env", "map", false), "spec.block_attrs.type", "not an HCL type expression"},
		{"block list max below min", BlockList("p", 3, 2, Attr("n", "number", false)), "spec.block_list.max_items", "max_items 2 is below min_items 3"},
		{"block list huge", BlockList("p", 1<<40, 0, Attr("n", "number", false)), "spec.block_list.min_items", "too large"},
		{"block set nil nested", BlockSet("s", 0, 0, nil), "spec.block_set.nested", "nested spec is missing"},
		{"block map no labels", BlockMap("m", nil, Attr("n", "number", false)), "spec.block_map.labels", "labels are empty"},
		{"block map bad label", BlockMap("m", []string{"ok", "1x"}, Attr("n", "number", false)), "spec.block_map.labels[1]", `"1x"`},
		{"default no primary", Default(nil, Literal("1")), "spec.default.primary", "primary spec is missing"},
		{"default no fallback", Default(Literal("1"), nil), "spec.default.default", "default spec is missing"},
		{"default bad fallback", Default(Literal("1"), Literal("{")), "spec.default.default.literal.value", "not an HCL expression"},
		{"literal empty", Literal(""), "spec.literal.value", "value is empty"},
		{"literal variable", Literal("var.x"), "spec.literal.value", "cannot be evaluated"},
		{"literal function", Literal(`upper("a")`), "spec.literal.value", "cannot be evaluated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Convert(tt.spec)
			require.Error(t, err)
			assert.Nil(t, got)
			var e *Error
			require.True(t, errors.As(err, &e), "want *Error, got %T: %v", err, err)
			assert.Equal(t, tt.wantPath, e.Path)
			assert.Contains(t, e.Msg, tt.wantMsg)
			assert.Contains(t, err.Error(), tt.wantPath)
		})
	}
}

func TestConvertNil(t *testing.T) {
	got, err := Convert(nil)
	assert.Nil(t, got)
	assert.ErrorIs(t, err, ErrNoSpec)
}

func TestQuoteHCL(t *testing.T) {
	for _, s := range []string{"", "plain", `"`, `\`, "$", "${", "$${", "%{", "%", "a\tb\r\n", "\x00\x7f", "héllo ☃", "\xff"} {
		dec, err := Convert(LiteralString(s))
		require.NoError(t, err, "%q", s)
		want := s
		if s == "\xff" {
			want = "\uFFFD" // invalid UTF-8 cannot be an HCL string
		}
		assert.Equal(t, cty.StringVal(want), dec.(*hcldec.LiteralSpec).Value, "%q", s)
	}
}
