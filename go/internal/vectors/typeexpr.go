package vectors

import (
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/yurt-sdk/yurt/go/hclspec"
)

// TypeExpr is one HCL type-expression vector: the text a plugin puts in an
// Attr or BlockAttrs `type`, and whether Nomad's decoder (hcl/v2 hclsyntax +
// ext/typeexpr, behind yurt's input limits) accepts it.
type TypeExpr struct {
	Expr string `json:"expr"`
	OK   bool   `json:"ok"`
	// Type is the canonical form of an accepted type (CanonicalType).
	Type string `json:"type,omitempty"`
	// GoError is Go's message for a refused type, for reference only: the
	// SDKs must refuse the same inputs, not with the same words.
	GoError string `json:"go_error,omitempty"`
}

// typeExprInputs are the inputs; the results come from Go.
func typeExprInputs() []string {
	in := []string{
		// primitives and spacing
		"string", "number", "bool", "any", " bool ", "\tlist ( string ) ", "list(string)\n",
		"list(string)\t\n\n", "\r\nlist(string)", "list(\nstring\n)",
		// collections
		"list(string)", "set(number)", "map(bool)", "map(any)", "set(any)", "list(list(list(string)))",
		"map(list(number))", "set(object({x=bool}))", "list(string,)", "list(any,)",
		// objects
		"object({})", "object({\n})", "object({a=string})", "object({a = string, b = number})",
		"object({b=string,a=number})", "object({a=string,})", "object({a=string,b=number,})",
		"object({a=string,\n})", "object({\na=string\nb=number\n})", "object({a=string\n\n b=number})",
		"object(\n{a=string}\n)", "object({a=string}\n)", "object({a=string},)", "object({a=string,\r\nb=number})",
		"object({a:string})", "object({ a : string , b : number })", "object({a-b=string})",
		"object({_a=string})", "object({a_=string})", "object({string=number})", "object({true=string})",
		"object({null=string})", "object({é=string})", "object({日本=string})", "object({a=any})",
		"object({a=object({b=object({c=list(string)})})})",
		// optional attributes (Go's typeexpr accepts them inside object() only)
		"object({a=optional(string)})", "object({a=string,b=optional(number),})",
		"object({a=string,b=optional(list(number)),c=object({})})",
		"object({a=object({b=optional(string)})})", "list(object({a=optional(string)}))",
		"map(object({a=optional(any)}))", "map(list(object({x=bool,y=optional(number)})))",
		"object({a=optional(string, \"x\")})", "object({a=optional(optional(string))})",
		"object({a=optional})", "object({a=optional()})", "optional(string)", "optional",
		"list(optional(string))", "tuple([optional(string)])",
		// tuples
		"tuple([])", "tuple([string])", "tuple([string, number])", "tuple([string,])",
		"tuple([string\n,number])", "tuple([string],)", "tuple([list(string), object({a=bool})])",
		// comments
		"list(string) # c", "list(string) // c", "list(string) /* x */", "list(string) #",
		"object({a=string // x\n})", "object({a=string # x\n b=number})", "object({a=string/* c */,b=number})",
		// refused
		"", "   ", "str", "String", "LIST(string)", "integer", "list", "list(", "list(string",
		"list()", "set()", "map()", "list(String)", "map(string, number)", "list(list)", "list string",
		"lis t(string)", "string string", "string!", "list(string)list(string)", "list(string),",
		"list[string]", "list{string}", "(string)", "list((string))", "list(\"string\")", "list(1)",
		"list(null)", "object", "object()", "object({a})", "object({a=})", "object({=string})",
		"object({a==string})", "object({a=string b=number})", "object({a=string\tb=number})",
		"object({a=string;b=number})", "object({a=string,,b=number})", "object({,})",
		"object({a=string,a=number})", "object({\"a\"=string})", "object({\"a\":string})",
		"object({1=string})", "object({1a=string})", "object({-a=string})", "object({(a)=string})",
		"object({a.b=string})", "object({a\n=string})", "object({a=\nstring})",
		"object({a=string\n,b=number})", "object({a=string /* x\n */ b=number})",
		"object({a=list})", "object({a=string}", "object({a=string}))", "object({a=string}, {b=string})",
		"object([string])", "object(string)", "tuple", "tuple(string)", "tuple([,])",
		"tuple([string,,])", "tuple([string\nnumber])", "tuple([string], [number])", "tuple({a=string})",
		"list(\u00a0string)", "map(string", "set(string))", "any(string)", "string()", "bool(x)",
	}
	// nesting: yurt caps every HCL document at inputlimit.MaxNesting brackets
	for _, n := range []int{64, 65, 99, 100, 101, 200} {
		in = append(in, strings.Repeat("list(", n)+"string"+strings.Repeat(")", n))
	}
	for _, n := range []int{49, 50, 51} {
		in = append(in, strings.Repeat("object({a=", n)+"string"+strings.Repeat("})", n))
	}
	return in
}

// TypeExprs computes every type-expression vector with Go's parser.
func TypeExprs() []TypeExpr {
	var out []TypeExpr
	for _, e := range typeExprInputs() {
		ty, err := hclspec.ImpliedType(hclspec.Attr("x", e, false))
		if err != nil {
			out = append(out, TypeExpr{Expr: e, GoError: err.Error()})
			continue
		}
		out = append(out, TypeExpr{Expr: e, OK: true, Type: CanonicalType(ty)})
	}
	return out
}

// CanonicalType writes a type constraint the way every SDK normalises a type
// expression: no spaces, object attributes sorted, optional(T) kept for
// optional attributes, `any` for the dynamic pseudo-type.
func CanonicalType(ty cty.Type) string {
	switch {
	case ty == cty.DynamicPseudoType:
		return "any"
	case ty.IsPrimitiveType():
		return ty.FriendlyName()
	case ty.IsListType():
		return "list(" + CanonicalType(ty.ElementType()) + ")"
	case ty.IsSetType():
		return "set(" + CanonicalType(ty.ElementType()) + ")"
	case ty.IsMapType():
		return "map(" + CanonicalType(ty.ElementType()) + ")"
	case ty.IsTupleType():
		parts := make([]string, 0, len(ty.TupleElementTypes()))
		for _, et := range ty.TupleElementTypes() {
			parts = append(parts, CanonicalType(et))
		}
		return "tuple([" + strings.Join(parts, ",") + "])"
	case ty.IsObjectType():
		names := make([]string, 0, len(ty.AttributeTypes()))
		for n := range ty.AttributeTypes() {
			names = append(names, n)
		}
		sort.Strings(names)
		parts := make([]string, 0, len(names))
		for _, n := range names {
			s := CanonicalType(ty.AttributeType(n))
			if ty.AttributeOptional(n) {
				s = "optional(" + s + ")"
			}
			parts = append(parts, n+"="+s)
		}
		return "object({" + strings.Join(parts, ",") + "})"
	}
	return ty.GoString()
}
