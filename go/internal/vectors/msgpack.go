package vectors

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"

	"github.com/yurt-sdk/yurt/go/hclspec"
)

// MsgpackSpec is a named schema the msgpack vectors decode against. Each SDK's
// test declares the same shape in its own types (a dataclass, a serde struct)
// under this name.
type MsgpackSpec struct {
	Spec Node `json:"spec"`
	// Type is the cty type hcldec implies for the spec (CanonicalType).
	Type string `json:"type"`
}

// Msgpack is one config-decoding vector: the bytes Nomad would send in
// SetConfigRequest.msgpack_config / TaskConfig.msgpack_driver_config, and
// what go-cty's msgpack decoder makes of them against the spec's type.
type Msgpack struct {
	Name string `json:"name"`
	Spec string `json:"spec"`
	// HCL is the config block the bytes were encoded from, when they were
	// (hcldec.Decode + cty msgpack, as Nomad does); hand-made bad bytes have none.
	HCL string `json:"hcl,omitempty"`
	Hex string `json:"msgpack_hex"`
	OK  bool   `json:"ok"`
	// Value is the decoded value as cty JSON (objects, lists, numbers, null).
	Value json.RawMessage `json:"value,omitempty"`
	// Field is the path of the offending value as steps (attribute or map key
	// strings, list indices as numbers); empty when the whole input is bad.
	Field   []any    `json:"field,omitempty"`
	Needs   []string `json:"needs,omitempty"`
	GoError string   `json:"go_error,omitempty"`
}

func msgpackSpecs() map[string]*hclspec.Spec {
	type A = hclspec.Attrs
	attr, obj := hclspec.Attr, hclspec.Object
	return map[string]*hclspec.Spec{
		"exec": obj(A{
			"command": attr("command", "string", true),
			"args":    attr("args", "list(string)", false),
			"count":   attr("count", "number", false),
			"enabled": attr("enabled", "bool", false),
			"env":     hclspec.BlockAttrs("env", "string", false),
			"port": hclspec.BlockList("port", 0, 0, obj(A{
				"label": attr("label", "string", true),
				"to":    attr("to", "number", false),
			})),
		}),
		"nested": obj(A{
			"logging": hclspec.Block("logging", false, obj(A{
				"driver":  attr("driver", "string", false),
				"options": attr("options", "map(string)", false),
			})),
			"tags":    attr("tags", "set(string)", false),
			"weights": attr("weights", "map(number)", false),
			"matrix":  attr("matrix", "list(list(number))", false),
		}),
	}
}

// fromHCL is a vector whose bytes Go encodes from HCL source, as Nomad does.
type fromHCL struct{ name, spec, src string }

func msgpackFromHCL() []fromHCL {
	return []fromHCL{
		{"command only", "exec", `command = "/bin/sleep"`},
		{"all attributes", "exec", `command = "/bin/sh"
args = ["-c", "echo hi"]
count = 3
enabled = true
env {
  A = "1"
  B = "two"
}
port {
  label = "http"
  to = 8080
}
port { label = "grpc" }`},
		{"empty list and env", "exec", "command = \"x\"\nargs = []\nenv {}"},
		{"float count", "exec", "command = \"x\"\ncount = 1.5"},
		{"negative count", "exec", "command = \"x\"\ncount = -7"},
		{"large count", "exec", "command = \"x\"\ncount = 9007199254740993"},
		{"number converted to string", "exec", "command = 42"},
		{"bool converted to string", "exec", "command = true\nargs = [1, false]"},
		{"string converted to number", "exec", "command = \"x\"\ncount = \"12\""},
		{"unicode strings", "exec", "command = \"h\u00e9llo \u65e5\u672c\"\nargs = [\"\\u00e9\", \"\"]"},
		{"nothing set", "nested", ``},
		{"nested all", "nested", `logging {
  driver = "json-file"
  options = { max-size = "10m" }
}
tags = ["b", "a", "b"]
weights = { x = 1, y = 0.25 }
matrix = [[1, 2], [], [3]]`},
		{"empty logging block", "nested", "logging {}"},
	}
}

// badBytes is a hand-made vector: a cty value of another type, or raw bytes.
type badBytes struct {
	name, spec string
	val        cty.Value
	raw        []byte
	needs      []string
}

func msgpackBad() []badBytes {
	s, n, b := cty.StringVal, cty.NumberIntVal, cty.BoolVal
	nullN, nullB := cty.NullVal(cty.Number), cty.NullVal(cty.Bool)
	ports := func(vs ...cty.Value) cty.Value {
		if len(vs) == 0 {
			return cty.ListValEmpty(cty.Object(map[string]cty.Type{"label": cty.String, "to": cty.Number}))
		}
		return cty.ListVal(vs)
	}
	exec := func(over map[string]cty.Value) cty.Value {
		m := map[string]cty.Value{
			"command": s("x"), "args": cty.NullVal(cty.List(cty.String)), "count": nullN, "enabled": nullB,
			"env": cty.NullVal(cty.Map(cty.String)), "port": ports(),
		}
		for k, v := range over {
			if v == cty.NilVal {
				delete(m, k)
				continue
			}
			m[k] = v
		}
		return cty.ObjectVal(m)
	}
	port := func(label, to cty.Value) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{"label": label, "to": to})
	}
	good, _ := ctymsgpack.Marshal(exec(nil), exec(nil).Type())
	return []badBytes{
		{name: "hand-made good bytes", spec: "exec", val: exec(map[string]cty.Value{"args": cty.ListVal([]cty.Value{s("a")}), "port": ports(port(s("p"), n(1)))})},
		{name: "number where a string is expected", spec: "exec", val: exec(map[string]cty.Value{"command": n(5)})},
		{name: "bool where a string is expected", spec: "exec", val: exec(map[string]cty.Value{"command": b(true)})},
		{name: "number inside a list of strings", spec: "exec", val: exec(map[string]cty.Value{"args": cty.TupleVal([]cty.Value{s("a"), n(3)})})},
		{name: "string where a number is expected", spec: "exec", val: exec(map[string]cty.Value{"count": s("three")})},
		{name: "decimal string where a number is expected", spec: "exec", val: exec(map[string]cty.Value{"count": s("12")}), needs: []string{"decimal_string_numbers"}},
		{name: "bool where a number is expected", spec: "exec", val: exec(map[string]cty.Value{"count": b(false)})},
		{name: "number where a bool is expected", spec: "exec", val: exec(map[string]cty.Value{"enabled": n(1)})},
		{name: "string where a bool is expected", spec: "exec", val: exec(map[string]cty.Value{"enabled": s("true")})},
		{name: "string where a list is expected", spec: "exec", val: exec(map[string]cty.Value{"args": s("a b")})},
		{name: "map where a list is expected", spec: "exec", val: exec(map[string]cty.Value{"args": cty.MapVal(map[string]cty.Value{"a": s("b")})})},
		{name: "list where a map is expected", spec: "exec", val: exec(map[string]cty.Value{"env": cty.ListVal([]cty.Value{s("a")})})},
		{name: "number inside a map of strings", spec: "exec", val: exec(map[string]cty.Value{"env": cty.ObjectVal(map[string]cty.Value{"A": s("1"), "B": n(2)})})},
		{name: "bad field in the second block", spec: "exec", val: exec(map[string]cty.Value{"port": cty.TupleVal([]cty.Value{port(s("a"), n(1)), port(s("b"), s("x"))})})},
		{name: "number as a block label", spec: "exec", val: exec(map[string]cty.Value{"port": cty.TupleVal([]cty.Value{port(n(7), nullN)})})},
		{name: "extra attribute", spec: "exec", val: exec(map[string]cty.Value{"image": s("redis")}), needs: []string{"strict_attributes"}},
		{name: "missing attribute", spec: "exec", val: exec(map[string]cty.Value{"count": cty.NilVal}), needs: []string{"strict_attributes"}},
		{name: "list at the top", spec: "exec", val: cty.ListVal([]cty.Value{s("x")})},
		{name: "string at the top", spec: "exec", val: s("command")},
		{name: "truncated bytes", spec: "exec", raw: good[:len(good)-3]},
		{name: "nested bad option", spec: "nested", val: cty.ObjectVal(map[string]cty.Value{
			"logging": cty.ObjectVal(map[string]cty.Value{"driver": s("x"), "options": cty.ObjectVal(map[string]cty.Value{"max-size": b(true)})}),
			"tags":    cty.NullVal(cty.Set(cty.String)), "weights": cty.NullVal(cty.Map(cty.Number)), "matrix": cty.NullVal(cty.List(cty.List(cty.Number))),
		})},
		{name: "nested bad matrix cell", spec: "nested", val: cty.ObjectVal(map[string]cty.Value{
			"logging": cty.NullVal(cty.Object(map[string]cty.Type{"driver": cty.String, "options": cty.Map(cty.String)})),
			"tags":    cty.NullVal(cty.Set(cty.String)), "weights": cty.NullVal(cty.Map(cty.Number)),
			"matrix": cty.TupleVal([]cty.Value{cty.TupleVal([]cty.Value{n(1)}), cty.TupleVal([]cty.Value{n(2), s("x")})}),
		})},
		{name: "nested bad weight", spec: "nested", val: cty.ObjectVal(map[string]cty.Value{
			"logging": cty.NullVal(cty.Object(map[string]cty.Type{"driver": cty.String, "options": cty.Map(cty.String)})),
			"tags":    cty.NullVal(cty.Set(cty.String)), "weights": cty.ObjectVal(map[string]cty.Value{"x": s("heavy")}),
			"matrix": cty.NullVal(cty.List(cty.List(cty.Number))),
		})},
		{name: "nested tag not a string", spec: "nested", val: cty.ObjectVal(map[string]cty.Value{
			"logging": cty.NullVal(cty.Object(map[string]cty.Type{"driver": cty.String, "options": cty.Map(cty.String)})),
			"tags":    cty.TupleVal([]cty.Value{s("a"), n(1)}), "weights": cty.NullVal(cty.Map(cty.Number)),
			"matrix": cty.NullVal(cty.List(cty.List(cty.Number))),
		})},
	}
}

// Msgpacks computes the msgpack vectors and the specs they use.
func Msgpacks() (map[string]MsgpackSpec, []Msgpack, error) {
	specs := msgpackSpecs()
	outSpecs := map[string]MsgpackSpec{}
	for name, s := range specs {
		ty, err := hclspec.ImpliedType(s)
		if err != nil {
			return nil, nil, err
		}
		outSpecs[name] = MsgpackSpec{Spec: SpecNode(s), Type: CanonicalType(ty)}
	}
	var out []Msgpack
	for _, c := range msgpackFromHCL() {
		val, diags := hclspec.DecodeHCL([]byte(c.src), c.name+".hcl", specs[c.spec], nil)
		if diags.HasErrors() {
			return nil, nil, fmt.Errorf("vector %q: %s", c.name, diags.Error())
		}
		bs, err := hclspec.EncodeMsgpack(val)
		if err != nil {
			return nil, nil, fmt.Errorf("vector %q: %w", c.name, err)
		}
		v, err := decodeVector(c.name, c.spec, bs, specs[c.spec])
		if err != nil {
			return nil, nil, err
		}
		v.HCL = c.src
		out = append(out, v)
	}
	for _, c := range msgpackBad() {
		bs := c.raw
		if bs == nil {
			var err error
			if bs, err = ctymsgpack.Marshal(c.val, c.val.Type()); err != nil {
				return nil, nil, fmt.Errorf("vector %q: %w", c.name, err)
			}
		}
		v, err := decodeVector(c.name, c.spec, bs, specs[c.spec])
		if err != nil {
			return nil, nil, err
		}
		v.Needs = c.needs
		out = append(out, v)
	}
	return outSpecs, out, nil
}

func decodeVector(name, spec string, bs []byte, s *hclspec.Spec) (Msgpack, error) {
	v := Msgpack{Name: name, Spec: spec, Hex: hex.EncodeToString(bs)}
	val, err := hclspec.DecodeMsgpack(bs, s)
	if err != nil {
		v.GoError = err.Error()
		var pe cty.PathError
		if errors.As(err, &pe) {
			v.Field = pathSteps(pe.Path)
		}
		return v, nil
	}
	js, err := ctyjson.Marshal(val, val.Type())
	if err != nil {
		return v, fmt.Errorf("vector %q: %w", name, err)
	}
	v.OK, v.Value = true, js
	return v, nil
}

// pathSteps turns a cty path into JSON steps: names and keys as strings,
// indices as numbers.
func pathSteps(p cty.Path) []any {
	steps := []any{}
	for _, st := range p {
		switch s := st.(type) {
		case cty.GetAttrStep:
			steps = append(steps, s.Name)
		case cty.IndexStep:
			if s.Key.Type() == cty.String {
				steps = append(steps, s.Key.AsString())
			} else if s.Key.Type() == cty.Number {
				i, _ := s.Key.AsBigFloat().Int64()
				steps = append(steps, i)
			}
		}
	}
	return steps
}
