package hclspec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"

	"github.com/yurt-sdk/yurt/go/inputlimit"
)

// DecodeHCL parses src as native HCL syntax and decodes it with spec. A nil
// spec accepts only an empty body. Diagnostics carry filename, line and
// column; a spec that does not convert is reported as one error diagnostic.
func DecodeHCL(src []byte, filename string, spec *Spec, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if err := inputlimit.CheckHCL(src, filename, inputlimit.MaxNesting); err != nil {
		return cty.NilVal, depthDiag(err)
	}
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	if more := checkSyntaxNumbers(f.Body); more.HasErrors() {
		return cty.NilVal, append(diags, more...)
	}
	val, more := DecodeBody(f.Body, spec, ctx)
	return val, append(diags, more...)
}

// DecodeJSON parses src as HCL's JSON syntax (how Nomad reads a plugin's
// `config` map) and decodes it with spec, like DecodeHCL.
func DecodeJSON(src []byte, filename string, spec *Spec, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if err := inputlimit.CheckJSON(src, filename, inputlimit.MaxNesting); err != nil {
		return cty.NilVal, depthDiag(err)
	}
	if err := checkJSONNumbers(src); err != nil {
		return cty.NilVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Number out of range", Detail: err.Error(),
			Subject: &hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos}}}
	}
	f, diags := hcljson.Parse(src, filename)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	val, more := DecodeBody(f.Body, spec, ctx)
	return val, append(diags, more...)
}

// depthDiag turns an inputlimit error into a diagnostic at its place.
func depthDiag(err error) hcl.Diagnostics {
	summary := "Nesting too deep"
	if _, ok := err.(*inputlimit.TokenError); ok {
		summary = "Too many tokens"
	}
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: err.Error()}
	if pe, ok := err.(inputlimit.Positioned); ok {
		file, line, col := pe.Position()
		p := hcl.Pos{Line: line, Column: col}
		d.Subject = &hcl.Range{Filename: file, Start: p, End: p}
	}
	return hcl.Diagnostics{d}
}

// DecodeBody decodes an already parsed body with spec. ctx supplies the
// variables and functions expressions may use; nil allows none. A nil spec
// accepts only an empty body and yields an empty object.
func DecodeBody(body hcl.Body, spec *Spec, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if body == nil {
		return cty.NilVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No configuration body",
			Detail:   "hclspec: DecodeBody was given a nil hcl.Body",
		}}
	}
	var dec hcldec.Spec = hcldec.ObjectSpec{}
	if spec != nil {
		var err error
		if dec, err = Convert(spec); err != nil {
			return cty.NilVal, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Invalid configuration schema",
				Detail:   err.Error(),
			}}
		}
	}
	return hcldec.Decode(body, dec, ctx)
}

// ImpliedType is the type of every value that spec decodes to; hosts and
// plugins use it to read msgpack produced from that spec.
func ImpliedType(spec *Spec) (cty.Type, error) {
	dec, err := Convert(spec)
	if err != nil {
		return cty.NilType, err
	}
	return hcldec.ImpliedType(dec), nil
}

// EncodeMsgpack encodes a decoded value exactly as Nomad sends it in
// SetConfigRequest.msgpack_config and TaskConfig.msgpack_driver_config:
// cty's msgpack with the value's own type.
func EncodeMsgpack(val cty.Value) ([]byte, error) {
	if val == cty.NilVal {
		return nil, errors.New("hclspec: cannot encode cty.NilVal (no value was decoded)")
	}
	if err := checkNumbers(val); err != nil {
		return nil, err
	}
	b, err := ctymsgpack.Marshal(val, val.Type())
	if err != nil {
		return nil, fmt.Errorf("hclspec: encoding config as msgpack: %w", err)
	}
	return b, nil
}

// DecodeMsgpack reads bytes written by EncodeMsgpack for a value decoded
// with spec.
func DecodeMsgpack(b []byte, spec *Spec) (cty.Value, error) {
	ty, err := ImpliedType(spec)
	if err != nil {
		return cty.NilVal, err
	}
	val, err := ctymsgpack.Unmarshal(b, ty)
	if err != nil {
		return cty.NilVal, fmt.Errorf("hclspec: msgpack config does not match the schema's type %s: %w", ty.FriendlyName(), err)
	}
	return val, nil
}

// maxBinaryExponent bounds the numbers EncodeMsgpack accepts. cty writes a
// number that is neither an exact int64 nor an exact float64 as its full
// decimal text, so `1e10000000` in a config would take many seconds and
// megabytes to encode (and 1e1000000000 would not finish). Float64's own
// range ends at 2^1024; 2^4096 leaves ample room for exact big values.
const maxBinaryExponent = 4096

// checkNumbers rejects numbers whose encoding would explode, naming where
// they are in val.
func checkNumbers(val cty.Value) error {
	return cty.Walk(val, func(path cty.Path, v cty.Value) (bool, error) {
		if !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
			return true, nil
		}
		bf := v.AsBigFloat()
		if bf.IsInf() {
			return false, fmt.Errorf("hclspec: encoding config: number at %s is infinite", formatPath(path))
		}
		if outOfRange(bf) {
			return false, fmt.Errorf("hclspec: encoding config: number at %s is out of range (magnitude about 2^%d, expected within 2^-%d..2^%d)",
				formatPath(path), bf.MantExp(nil), maxBinaryExponent, maxBinaryExponent)
		}
		return true, nil
	})
}

// FormatPath writes a cty path as an HCL-like traversal (`.a["k"][0]`), the
// empty string for the root. Every Go package that names a config field in an
// error uses it, so a field reads the same in all of them.
func FormatPath(path cty.Path) string {
	var b strings.Builder
	for _, step := range path {
		switch s := step.(type) {
		case cty.GetAttrStep:
			b.WriteString("." + s.Name)
		case cty.IndexStep:
			switch {
			case !s.Key.IsKnown() || s.Key.IsNull():
				b.WriteString("[?]")
			case s.Key.Type() == cty.String:
				b.WriteString("[" + strconv.Quote(s.Key.AsString()) + "]")
			case s.Key.Type() == cty.Number:
				b.WriteString("[" + s.Key.AsBigFloat().Text('f', -1) + "]")
			default:
				b.WriteString("[?]")
			}
		}
	}
	return b.String()
}

// formatPath is FormatPath with "." for the root, for messages that need a
// visible location.
func formatPath(path cty.Path) string {
	if len(path) == 0 {
		return "."
	}
	return FormatPath(path)
}

func outOfRange(bf *big.Float) bool {
	if bf.IsInf() {
		return true
	}
	exp := bf.MantExp(nil)
	return bf.Sign() != 0 && (exp > maxBinaryExponent || exp < -maxBinaryExponent)
}

// checkSyntaxNumbers rejects number literals that cty would need seconds to
// turn into text (a number given where a string is expected is converted
// with its full decimal expansion).
func checkSyntaxNumbers(body hcl.Body) hcl.Diagnostics {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	var diags hcl.Diagnostics
	_ = hclsyntax.VisitAll(sb, func(n hclsyntax.Node) hcl.Diagnostics {
		lit, ok := n.(*hclsyntax.LiteralValueExpr)
		if !ok || lit.Val.IsNull() || !lit.Val.IsKnown() || lit.Val.Type() != cty.Number {
			return nil
		}
		if outOfRange(lit.Val.AsBigFloat()) {
			rng := lit.SrcRange
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Number out of range",
				Detail:   fmt.Sprintf("Numbers must lie within 2^-%d..2^%d in magnitude.", maxBinaryExponent, maxBinaryExponent),
				Subject:  &rng,
			})
		}
		return nil
	})
	return diags
}

// checkJSONNumbers is checkSyntaxNumbers for JSON sources; invalid JSON is
// left for the HCL JSON parser to report.
func checkJSONNumbers(src []byte) error {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		n, ok := tok.(json.Number)
		if !ok {
			continue
		}
		bf, _, perr := big.ParseFloat(string(n), 10, 512, big.ToNearestEven)
		if perr == nil && outOfRange(bf) {
			return fmt.Errorf("number %.40s at byte %d is out of range: numbers must lie within 2^-%d..2^%d in magnitude", string(n), dec.InputOffset(), maxBinaryExponent, maxBinaryExponent)
		}
	}
}
