package hclspec

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/yurt-sdk/yurt/go/gen/hclspecpb"
	"github.com/yurt-sdk/yurt/go/inputlimit"
)

// ErrNoSpec is returned by Convert for a nil spec. A plugin that returns no
// schema accepts no configuration; callers decide what that means for them.
var ErrNoSpec = errors.New("hclspec: no spec (nil)")

// Error is a conversion failure at one place in a spec tree.
type Error struct {
	// Path locates the offending spec, e.g. `spec.object["image"].Attr.type`.
	Path string
	// Msg says what was expected and what was found.
	Msg string
}

// Error is "hclspec: <path>: <what was expected and found>".
func (e *Error) Error() string { return "hclspec: " + e.Path + ": " + e.Msg }

// Convert turns a schema into an hcldec spec. Every spec in
// the tree must have exactly one kind set, names must be HCL identifiers,
// types must be HCL type expressions and literals HCL expressions without
// variables; the first violation is returned as an *Error naming its path.
func Convert(spec *Spec) (hcldec.Spec, error) {
	if spec == nil {
		return nil, ErrNoSpec
	}
	return convert(spec.wire(), "spec")
}

func fail(path, format string, args ...any) error {
	return &Error{Path: path, Msg: fmt.Sprintf(format, args...)}
}

const kinds = "one of object, array, Attr, block_value, block_attrs, block_list, block_set, block_map, default, literal"

func convert(spec *hclspecpb.Spec, path string) (hcldec.Spec, error) {
	if spec == nil {
		return nil, fail(path, "spec is missing (nil), expected %s", kinds)
	}
	switch b := spec.GetBlock().(type) {
	case *hclspecpb.Spec_Object:
		return convertObject(b.Object, path+".object")
	case *hclspecpb.Spec_Array:
		return convertArray(b.Array, path+".array")
	case *hclspecpb.Spec_Attr:
		return convertAttr(b.Attr, path+".Attr")
	case *hclspecpb.Spec_BlockValue:
		return convertBlock(b.BlockValue, path+".block_value")
	case *hclspecpb.Spec_BlockAttrs:
		return convertBlockAttrs(b.BlockAttrs, path+".block_attrs")
	case *hclspecpb.Spec_BlockList:
		return convertBlockList(b.BlockList, path+".block_list")
	case *hclspecpb.Spec_BlockSet:
		return convertBlockSet(b.BlockSet, path+".block_set")
	case *hclspecpb.Spec_BlockMap:
		return convertBlockMap(b.BlockMap, path+".block_map")
	case *hclspecpb.Spec_Default:
		return convertDefault(b.Default, path+".default")
	case *hclspecpb.Spec_Literal:
		return convertLiteral(b.Literal, path+".literal")
	case nil:
		return nil, fail(path, "no spec kind set, expected %s", kinds)
	default:
		return nil, fail(path, "unsupported spec kind %T, expected %s", b, kinds)
	}
}

func convertObject(o *hclspecpb.Object, path string) (hcldec.Spec, error) {
	out := hcldec.ObjectSpec{}
	keys := make([]string, 0, len(o.GetAttributes()))
	for k := range o.GetAttributes() {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the first error reported must not depend on map order
	for _, k := range keys {
		p := path + "[" + strconv.Quote(k) + "]"
		if k == "" {
			return nil, fail(p, "object attribute key is empty, expected a non-empty name")
		}
		s, err := convert(o.GetAttributes()[k], p)
		if err != nil {
			return nil, err
		}
		out[k] = s
	}
	return out, nil
}

func convertArray(a *hclspecpb.Array, path string) (hcldec.Spec, error) {
	out := make(hcldec.TupleSpec, 0, len(a.GetValues()))
	for i, v := range a.GetValues() {
		s, err := convert(v, fmt.Sprintf("%s.values[%d]", path, i))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func checkName(name, path string) error {
	if name == "" {
		return fail(path+".name", "name is empty, expected an HCL identifier")
	}
	if !hclsyntax.ValidIdentifier(name) {
		return fail(path+".name", "name %q is not an HCL identifier (letters, digits, '_' and '-', not starting with a digit)", name)
	}
	return nil
}

// parseType parses an HCL type expression such as "list(string)".
func parseType(typ, path string) (cty.Type, error) {
	if strings.TrimSpace(typ) == "" {
		return cty.NilType, fail(path+".type", "type is empty, expected an HCL type expression such as \"string\" or \"list(number)\"")
	}
	if err := inputlimit.CheckHCL([]byte(typ), path+".type", inputlimit.MaxNesting); err != nil {
		return cty.NilType, fail(path+".type", "type is not a usable HCL type expression: %v", err)
	}
	expr, diags := hclsyntax.ParseExpression([]byte(typ), path+".type", hcl.InitialPos)
	if diags.HasErrors() {
		return cty.NilType, fail(path+".type", "type %q is not an HCL expression: %s", typ, diagText(diags))
	}
	ty, diags := typeexpr.TypeConstraint(expr)
	if diags.HasErrors() {
		return cty.NilType, fail(path+".type", "type %q is not an HCL type expression: %s", typ, diagText(diags))
	}
	return ty, nil
}

func convertAttr(a *hclspecpb.Attr, path string) (hcldec.Spec, error) {
	if err := checkName(a.GetName(), path); err != nil {
		return nil, err
	}
	ty, err := parseType(a.GetType(), path)
	if err != nil {
		return nil, err
	}
	return &hcldec.AttrSpec{Name: a.GetName(), Type: ty, Required: a.GetRequired()}, nil
}

func convertNested(n *hclspecpb.Spec, path string) (hcldec.Spec, error) {
	if n == nil {
		return nil, fail(path+".nested", "nested spec is missing (nil), expected the spec of the block's body")
	}
	return convert(n, path+".nested")
}

func convertBlock(b *hclspecpb.Block, path string) (hcldec.Spec, error) {
	if err := checkName(b.GetName(), path); err != nil {
		return nil, err
	}
	nested, err := convertNested(b.GetNested(), path)
	if err != nil {
		return nil, err
	}
	return &hcldec.BlockSpec{TypeName: b.GetName(), Nested: nested, Required: b.GetRequired()}, nil
}

func convertBlockAttrs(b *hclspecpb.BlockAttrs, path string) (hcldec.Spec, error) {
	if err := checkName(b.GetName(), path); err != nil {
		return nil, err
	}
	ty, err := parseType(b.GetType(), path)
	if err != nil {
		return nil, err
	}
	return &hcldec.BlockAttrsSpec{TypeName: b.GetName(), ElementType: ty, Required: b.GetRequired()}, nil
}

func itemBounds(minItems, maxItems uint64, path string) (int, int, error) {
	if minItems > math.MaxInt32 {
		return 0, 0, fail(path+".min_items", "min_items %d is too large (at most %d)", minItems, math.MaxInt32)
	}
	if maxItems > math.MaxInt32 {
		return 0, 0, fail(path+".max_items", "max_items %d is too large (at most %d)", maxItems, math.MaxInt32)
	}
	if maxItems != 0 && maxItems < minItems {
		return 0, 0, fail(path+".max_items", "max_items %d is below min_items %d (0 means no limit)", maxItems, minItems)
	}
	return int(minItems), int(maxItems), nil
}

// repeatedBlock is what BlockList and BlockSet share on the wire.
type repeatedBlock interface {
	GetName() string
	GetMinItems() uint64
	GetMaxItems() uint64
	GetNested() *hclspecpb.Spec
}

// convertRepeated checks and converts the parts BlockList and BlockSet share.
func convertRepeated(b repeatedBlock, path string) (nested hcldec.Spec, lo, hi int, err error) {
	if err := checkName(b.GetName(), path); err != nil {
		return nil, 0, 0, err
	}
	if lo, hi, err = itemBounds(b.GetMinItems(), b.GetMaxItems(), path); err != nil {
		return nil, 0, 0, err
	}
	if nested, err = convertNested(b.GetNested(), path); err != nil {
		return nil, 0, 0, err
	}
	return nested, lo, hi, nil
}

func convertBlockList(b *hclspecpb.BlockList, path string) (hcldec.Spec, error) {
	nested, lo, hi, err := convertRepeated(b, path)
	if err != nil {
		return nil, err
	}
	return &hcldec.BlockListSpec{TypeName: b.GetName(), Nested: nested, MinItems: lo, MaxItems: hi}, nil
}

func convertBlockSet(b *hclspecpb.BlockSet, path string) (hcldec.Spec, error) {
	nested, lo, hi, err := convertRepeated(b, path)
	if err != nil {
		return nil, err
	}
	return &hcldec.BlockSetSpec{TypeName: b.GetName(), Nested: nested, MinItems: lo, MaxItems: hi}, nil
}

func convertBlockMap(b *hclspecpb.BlockMap, path string) (hcldec.Spec, error) {
	if err := checkName(b.GetName(), path); err != nil {
		return nil, err
	}
	if len(b.GetLabels()) == 0 {
		return nil, fail(path+".labels", "labels are empty, expected at least one label name")
	}
	for i, l := range b.GetLabels() {
		if !hclsyntax.ValidIdentifier(l) {
			return nil, fail(fmt.Sprintf("%s.labels[%d]", path, i), "label name %q is not an HCL identifier", l)
		}
	}
	nested, err := convertNested(b.GetNested(), path)
	if err != nil {
		return nil, err
	}
	return &hcldec.BlockMapSpec{TypeName: b.GetName(), LabelNames: b.GetLabels(), Nested: nested}, nil
}

func convertDefault(d *hclspecpb.Default, path string) (hcldec.Spec, error) {
	if d.GetPrimary() == nil {
		return nil, fail(path+".primary", "primary spec is missing (nil)")
	}
	if d.GetDefault() == nil {
		return nil, fail(path+".default", "default spec is missing (nil)")
	}
	primary, err := convert(d.GetPrimary(), path+".primary")
	if err != nil {
		return nil, err
	}
	def, err := convert(d.GetDefault(), path+".default")
	if err != nil {
		return nil, err
	}
	return &hcldec.DefaultSpec{Primary: primary, Default: def}, nil
}

func convertLiteral(l *hclspecpb.Literal, path string) (hcldec.Spec, error) {
	if strings.TrimSpace(l.GetValue()) == "" {
		return nil, fail(path+".value", "value is empty, expected an HCL expression such as \"\\\"5s\\\"\", \"[]\" or \"true\"")
	}
	if err := inputlimit.CheckHCL([]byte(l.GetValue()), path+".value", inputlimit.MaxNesting); err != nil {
		return nil, fail(path+".value", "value is not a usable HCL expression: %v", err)
	}
	expr, diags := hclsyntax.ParseExpression([]byte(l.GetValue()), path+".value", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fail(path+".value", "value %q is not an HCL expression: %s", l.GetValue(), diagText(diags))
	}
	val, diags := expr.Value(nil)
	if diags.HasErrors() {
		return nil, fail(path+".value", "value %q cannot be evaluated without variables or functions: %s", l.GetValue(), diagText(diags))
	}
	if !val.IsWhollyKnown() {
		return nil, fail(path+".value", "value %q is not a known constant", l.GetValue())
	}
	if err := checkNumbers(val); err != nil {
		return nil, fail(path+".value", "value %.40q: %v", l.GetValue(), err)
	}
	return &hcldec.LiteralSpec{Value: val}, nil
}

// diagText joins the diagnostics' summaries and details on one line.
func diagText(diags hcl.Diagnostics) string {
	parts := make([]string, 0, len(diags))
	for _, d := range diags {
		s := d.Summary
		if d.Detail != "" {
			s += ": " + d.Detail
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}
