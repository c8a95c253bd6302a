// Package apicheck lists the exported Go API of the module and reports every
// place where it mentions a generated type (a package under go/gen). The SDK
// speaks hand-written types only: generated messages and their converters
// are internal. The generated packages themselves stay importable (the
// conformance harness speaks the raw wire) but are not API, so they are not
// checked.
//
// The checker reads the compiler's export data (go list -export), which
// holds every exported declaration with its full type, and walks: every
// exported function's signature; every exported variable's and constant's
// type; every exported type's definition (struct fields that are exported or
// embedded, interface methods) and its method set (exported methods,
// promoted ones included). Unexported named types reached from there are
// walked too, since their exported fields and methods are reachable.
package apicheck

import (
	"fmt"
	"go/types"
	"sort"
	"strings"
)

// Finding is one exported symbol whose type mentions a generated type.
type Finding struct {
	// Symbol is "<import path>.<Name>" or "<import path>.<Type>.<Member>".
	Symbol string
	// Mentions is the generated type, "<import path>.<Name>".
	Mentions string
}

// String is "pkg.Symbol: mentions <generated type>".
func (f Finding) String() string { return f.Symbol + ": mentions " + f.Mentions }

// Check walks the exported API of pkg and reports each symbol mentioning a
// named type whose package path starts with genPrefix (e.g.
// "github.com/yurt-sdk/yurt/go/gen/"). Findings are sorted; each symbol is
// reported once, with the first generated type found in it.
func Check(pkg *types.Package, genPrefix string) []Finding {
	c := &checker{pkg: pkg, gen: genPrefix, seen: map[string]bool{}}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		sym := pkg.Path() + "." + name
		switch o := obj.(type) {
		case *types.TypeName:
			c.typeName(sym, o)
		default:
			c.report(sym, obj.Type())
		}
	}
	sort.Slice(c.out, func(i, j int) bool { return c.out[i].Symbol < c.out[j].Symbol })
	return c.out
}

type checker struct {
	pkg  *types.Package
	gen  string
	seen map[string]bool
	out  []Finding
}

func (c *checker) report(sym string, t types.Type) {
	if c.seen[sym] {
		return
	}
	if m := c.mentions(t, map[types.Type]bool{}); m != "" {
		c.seen[sym] = true
		c.out = append(c.out, Finding{Symbol: sym, Mentions: m})
	}
}

// typeName checks an exported type: its definition and its exported
// methods (value and pointer receivers, promoted ones included).
func (c *checker) typeName(sym string, o *types.TypeName) {
	if o.IsAlias() {
		c.report(sym, types.Unalias(o.Type()))
		return
	}
	named, ok := o.Type().(*types.Named)
	if !ok {
		c.report(sym, o.Type())
		return
	}
	if tp := named.TypeParams(); tp != nil {
		for i := 0; i < tp.Len(); i++ {
			c.report(sym, tp.At(i).Constraint())
		}
	}
	switch u := named.Underlying().(type) {
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			f := u.Field(i)
			if f.Exported() || f.Embedded() {
				c.report(sym+"."+f.Name(), f.Type())
			}
		}
	case *types.Interface:
		for i := 0; i < u.NumMethods(); i++ {
			if m := u.Method(i); m.Exported() {
				c.report(sym+"."+m.Name(), m.Type())
			}
		}
	default:
		c.report(sym, u)
	}
	ms := types.NewMethodSet(types.NewPointer(named))
	for i := 0; i < ms.Len(); i++ {
		if m := ms.At(i).Obj(); m.Exported() {
			c.report(sym+"."+m.Name(), m.Type())
		}
	}
}

// mentions returns the first generated type found in t, or "".
func (c *checker) mentions(t types.Type, visiting map[types.Type]bool) string {
	if t == nil || visiting[t] {
		return ""
	}
	visiting[t] = true
	switch t := t.(type) {
	case *types.Alias:
		return c.mentions(types.Unalias(t), visiting)
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() != nil && strings.HasPrefix(obj.Pkg().Path()+"/", c.gen) {
			return obj.Pkg().Path() + "." + obj.Name()
		}
		if args := t.TypeArgs(); args != nil {
			for i := 0; i < args.Len(); i++ {
				if m := c.mentions(args.At(i), visiting); m != "" {
					return m
				}
			}
		}
		// An unexported type of the checked package is API through what
		// reaches it: walk its definition and exported methods. Other
		// packages' types are checked where they are declared.
		if obj.Pkg() == c.pkg && !obj.Exported() {
			if m := c.mentions(t.Underlying(), visiting); m != "" {
				return m
			}
			ms := types.NewMethodSet(types.NewPointer(t))
			for i := 0; i < ms.Len(); i++ {
				if f := ms.At(i).Obj(); f.Exported() {
					if m := c.mentions(f.Type(), visiting); m != "" {
						return m
					}
				}
			}
		}
		return ""
	case *types.Pointer:
		return c.mentions(t.Elem(), visiting)
	case *types.Slice:
		return c.mentions(t.Elem(), visiting)
	case *types.Array:
		return c.mentions(t.Elem(), visiting)
	case *types.Chan:
		return c.mentions(t.Elem(), visiting)
	case *types.Map:
		if m := c.mentions(t.Key(), visiting); m != "" {
			return m
		}
		return c.mentions(t.Elem(), visiting)
	case *types.Signature:
		if m := c.mentions(t.Params(), visiting); m != "" {
			return m
		}
		return c.mentions(t.Results(), visiting)
	case *types.Tuple:
		for i := 0; i < t.Len(); i++ {
			if m := c.mentions(t.At(i).Type(), visiting); m != "" {
				return m
			}
		}
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if f := t.Field(i); f.Exported() || f.Embedded() {
				if m := c.mentions(f.Type(), visiting); m != "" {
					return m
				}
			}
		}
	case *types.Interface:
		for i := 0; i < t.NumMethods(); i++ {
			if f := t.Method(i); f.Exported() {
				if m := c.mentions(f.Type(), visiting); m != "" {
					return m
				}
			}
		}
		for i := 0; i < t.NumEmbeddeds(); i++ {
			if m := c.mentions(t.EmbeddedType(i), visiting); m != "" {
				return m
			}
		}
	case *types.TypeParam:
		return c.mentions(t.Constraint(), visiting)
	case *types.Union:
		for i := 0; i < t.Len(); i++ {
			if m := c.mentions(t.Term(i).Type(), visiting); m != "" {
				return m
			}
		}
	case *types.Basic:
	default:
		return fmt.Sprintf("(apicheck: unhandled type %T)", t)
	}
	return ""
}
