package base

import "fmt"

// Attribute is a typed fingerprint value, optionally with a unit such as
// "MiB" or "MHz". Exactly one of the value fields is meaningful, chosen by
// Kind; build it with the constructors.
type Attribute struct {
	Kind   AttributeKind
	Float  float64
	Int    int64
	String string
	Bool   bool
	Unit   string
}

// AttributeKind says which value an Attribute holds.
type AttributeKind int

// The kinds of value an Attribute holds, one per field of Attribute.
const (
	// AttributeNone is an attribute without a value (the wire allows it).
	AttributeNone AttributeKind = iota
	AttributeFloat
	AttributeInt
	AttributeString
	AttributeBool
)

// NewFloatAttribute is a float attribute with an optional unit ("MHz", "GiB").
func NewFloatAttribute(v float64, unit string) *Attribute {
	return &Attribute{Kind: AttributeFloat, Float: v, Unit: unit}
}

// NewIntAttribute is an integer attribute with an optional unit ("MB", "MHz").
func NewIntAttribute(v int64, unit string) *Attribute {
	return &Attribute{Kind: AttributeInt, Int: v, Unit: unit}
}

// NewStringAttribute is a string attribute.
func NewStringAttribute(v string) *Attribute { return &Attribute{Kind: AttributeString, String: v} }

// NewBoolAttribute is a boolean attribute.
func NewBoolAttribute(v bool) *Attribute { return &Attribute{Kind: AttributeBool, Bool: v} }

// GoString renders the attribute for messages and tests.
func (a *Attribute) GoString() string {
	if a == nil {
		return "<nil>"
	}
	switch a.Kind {
	case AttributeFloat:
		return fmt.Sprintf("%g%s", a.Float, a.Unit)
	case AttributeInt:
		return fmt.Sprintf("%d%s", a.Int, a.Unit)
	case AttributeString:
		return fmt.Sprintf("%q", a.String)
	case AttributeBool:
		return fmt.Sprintf("%t", a.Bool)
	}
	return "<none>"
}

// StatValue is one measurement. Numerator and denominator are optional
// (nil: not reported); a value with a denominator reads "n / d", e.g.
// memory used of total.
type StatValue struct {
	FloatNumerator   *float64
	FloatDenominator *float64
	IntNumerator     *int64
	IntDenominator   *int64
	String           *string
	Bool             *bool
	Unit             string
	Desc             string
}

// StatObject is a tree of named measurements.
type StatObject struct {
	Nested     map[string]*StatObject
	Attributes map[string]*StatValue
}

// Ptr returns a pointer to v, for the optional fields of StatValue.
func Ptr[T any](v T) *T { return &v }
