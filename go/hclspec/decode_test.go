package hclspec

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

// taskSpec is shaped like a typical driver's task config schema.
func taskSpec() *Spec {
	return Object(Attrs{
		"command": Attr("command", "string", true),
		"args":    Default(Attr("args", "list(string)", false), Literal("[]")),
		"timeout": Default(Attr("timeout", "string", false), LiteralString("5s")),
		"env":     BlockAttrs("env", "string", false),
		"port":    BlockList("port", 0, 0, Object(Attrs{"label": Attr("label", "string", true), "to": Attr("to", "number", false)})),
	})
}

func TestDecodeHCL(t *testing.T) {
	src := []byte(`
command = "/bin/echo"
args    = ["hello", "${who}"]
env {
  A = "1"
}
port {
  label = "http"
  to    = 8080
}
`)
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"who": cty.StringVal("world")}}
	val, diags := DecodeHCL(src, "task.hcl", taskSpec(), ctx)
	require.False(t, diags.HasErrors(), diags.Error())

	assert.Equal(t, "/bin/echo", val.GetAttr("command").AsString())
	assert.True(t, val.GetAttr("args").RawEquals(cty.ListVal([]cty.Value{cty.StringVal("hello"), cty.StringVal("world")})))
	assert.Equal(t, "5s", val.GetAttr("timeout").AsString(), "default literal applies")
	assert.True(t, val.GetAttr("env").RawEquals(cty.MapVal(map[string]cty.Value{"A": cty.StringVal("1")})))
	port := val.GetAttr("port").Index(cty.NumberIntVal(0))
	assert.Equal(t, "http", port.GetAttr("label").AsString())

	b, err := EncodeMsgpack(val)
	require.NoError(t, err)
	back, err := DecodeMsgpack(b, taskSpec())
	require.NoError(t, err)
	assert.True(t, back.Equals(val).True(), "msgpack round trip: %#v", back)
}

func TestDecodeJSON(t *testing.T) {
	val, diags := DecodeJSON([]byte(`{"command": "x", "args": ["a"]}`), "plugin.json", taskSpec(), nil)
	require.False(t, diags.HasErrors(), diags.Error())
	assert.Equal(t, "x", val.GetAttr("command").AsString())
	assert.Equal(t, 1, val.GetAttr("args").LengthInt())
	assert.True(t, val.GetAttr("env").IsNull(), "absent block attrs is null")
}

func TestDecodeDiagnostics(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		spec     *Spec
		wantLine int
		wantText string
	}{
		{"missing required", "args = []\n", taskSpec(), 1, `The argument "command" is required`},
		{"wrong type", "command = \"x\"\n\nargs = \"notalist\"\n", taskSpec(), 3, "list of string required"},
		{"unknown attr", "command = \"x\"\nbogus = 1\n", taskSpec(), 2, `An argument named "bogus" is not expected here`},
		{"syntax error", "command = \n", taskSpec(), 1, "Invalid expression"},
		{"undefined variable", "command = who\n", taskSpec(), 1, "Variables not allowed"},
		{"nil spec rejects config", "x = 1\n", nil, 1, `An argument named "x" is not expected here`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := DecodeHCL([]byte(tt.src), "task.hcl", tt.spec, nil)
			require.True(t, diags.HasErrors())
			d := diags[0]
			require.NotNil(t, d.Subject, "diagnostic has a source range: %s", diags.Error())
			assert.Equal(t, "task.hcl", d.Subject.Filename)
			assert.Equal(t, tt.wantLine, d.Subject.Start.Line)
			assert.Contains(t, diags.Error(), tt.wantText)
		})
	}
}

func TestDecodeBodyBadSpec(t *testing.T) {
	f, diags := hclsyntax.ParseConfig([]byte("a = 1\n"), "x.hcl", hcl.InitialPos)
	require.False(t, diags.HasErrors())
	_, diags = DecodeBody(f.Body, Object(Attrs{"a": Attr("a", "nope", false)}), nil)
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags.Error(), `spec.object["a"].Attr.type`)

	_, diags = DecodeBody(nil, taskSpec(), nil)
	assert.True(t, diags.HasErrors())
}

func TestDecodeNilSpecEmptyBody(t *testing.T) {
	val, diags := DecodeHCL(nil, "empty.hcl", nil, nil)
	require.False(t, diags.HasErrors(), diags.Error())
	assert.True(t, val.RawEquals(cty.EmptyObjectVal))
	b, err := EncodeMsgpack(val)
	require.NoError(t, err)
	assert.Equal(t, []byte{0x80}, b, "empty object is an empty msgpack map")
}

// TestEncodeMsgpackBytes pins the encoding Nomad produces: cty msgpack with
// the value's own type, objects as maps with sorted keys, exact integers as
// ints, null as nil.
func TestEncodeMsgpackBytes(t *testing.T) {
	tests := []struct {
		name string
		val  cty.Value
		want []byte
	}{
		{"object", cty.ObjectVal(map[string]cty.Value{"n": cty.NumberIntVal(1), "a": cty.StringVal("x")}),
			[]byte{0x82, 0xa1, 'a', 0xa1, 'x', 0xa1, 'n', 0x01}},
		{"null string attr", cty.ObjectVal(map[string]cty.Value{"s": cty.NullVal(cty.String)}),
			[]byte{0x81, 0xa1, 's', 0xc0}},
		{"list", cty.ListVal([]cty.Value{cty.True, cty.False}), []byte{0x92, 0xc3, 0xc2}},
		{"float", cty.NumberFloatVal(1.5), []byte{0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0}},
		{"negative int", cty.NumberIntVal(-2), []byte{0xfe}},
		{"empty list", cty.ListValEmpty(cty.String), []byte{0x90}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := EncodeMsgpack(tt.val)
			require.NoError(t, err)
			assert.Equal(t, tt.want, b)
		})
	}
}

func TestEncodeMsgpackNil(t *testing.T) {
	_, err := EncodeMsgpack(cty.NilVal)
	assert.ErrorContains(t, err, "cty.NilVal")
}

func TestDecodeMsgpackErrors(t *testing.T) {
	_, err := DecodeMsgpack([]byte{0x81, 0xa1, 'x'}, taskSpec())
	assert.ErrorContains(t, err, "does not match the schema's type")
	_, err = DecodeMsgpack([]byte{0x80}, nil)
	assert.ErrorIs(t, err, ErrNoSpec)
}

func TestDecodeHugeNumbers(t *testing.T) {
	_, diags := DecodeHCL([]byte("args = []\ncommand = 1e1000000000\n"), "t.hcl", taskSpec(), nil)
	require.True(t, diags.HasErrors())
	assert.Equal(t, "Number out of range", diags[0].Summary)
	assert.Equal(t, 2, diags[0].Subject.Start.Line)

	_, diags = DecodeJSON([]byte(`{"command": 1e100000000}`), "t.json", taskSpec(), nil)
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags.Error(), "out of range")
}

func TestEncodeMsgpackHugeNumbers(t *testing.T) {
	val := cty.ObjectVal(map[string]cty.Value{"port": cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
		"to": cty.MustParseNumberVal("1e10000000")})})})
	_, err := EncodeMsgpack(val)
	assert.ErrorContains(t, err, "number at .port[0].to is out of range")

	_, err = EncodeMsgpack(cty.MustParseNumberVal("1e-10000000"))
	assert.ErrorContains(t, err, "number at . is out of range")

	// Big but bounded numbers still encode (as decimal text, as cty does).
	b, err := EncodeMsgpack(cty.MustParseNumberVal("1e300"))
	require.NoError(t, err)
	assert.NotEmpty(t, b)
	b, err = EncodeMsgpack(cty.MustParseNumberVal("123456789012345678901234567890"))
	require.NoError(t, err)
	back, err := DecodeMsgpack(b, Attr("n", "number", false))
	require.NoError(t, err)
	assert.Equal(t, "123456789012345678901234567890", back.AsBigFloat().Text('f', -1))
}
