// Package doccheck finds exported Go identifiers without a doc comment. Its
// test runs it over the plugin SDK's packages (go/plugin/..., go/hclspec), so
// `go test ./...` fails when a public item of the SDK is undocumented.
package doccheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Missing lists, as "file:line: name", every exported identifier of the
// non-test Go files in dir that has no doc comment, plus the package itself
// when no file carries a package comment. Checked: functions, methods on
// exported types, types, the methods of exported interfaces, and constants
// and variables (a comment on their parenthesised group counts for all).
func Missing(dir string) ([]string, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var missing []string
	pkgDoc, pkgName, files := false, "", 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files++
		pkgName = f.Name.Name
		if f.Doc != nil && strings.TrimSpace(f.Doc.Text()) != "" {
			pkgDoc = true
		}
		missing = append(missing, fileMissing(fset, f)...)
	}
	if files > 0 && !pkgDoc {
		missing = append(missing, fmt.Sprintf("%s: package %s (no package comment)", dir, pkgName))
	}
	sort.Strings(missing)
	return missing, nil
}

func fileMissing(fset *token.FileSet, f *ast.File) []string {
	var out []string
	report := func(pos token.Pos, what string) {
		p := fset.Position(pos)
		out = append(out, fmt.Sprintf("%s:%d: %s", p.Filename, p.Line, what))
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() || d.Doc != nil {
				continue
			}
			if d.Recv == nil {
				report(d.Pos(), "func "+d.Name.Name)
			} else if recv := receiverType(d.Recv); ast.IsExported(recv) {
				report(d.Pos(), "method "+recv+"."+d.Name.Name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if !s.Name.IsExported() {
						continue
					}
					if s.Doc == nil && (d.Doc == nil || len(d.Specs) > 1) {
						report(s.Pos(), "type "+s.Name.Name)
					}
					if it, ok := s.Type.(*ast.InterfaceType); ok {
						for _, m := range it.Methods.List {
							for _, n := range m.Names {
								if n.IsExported() && m.Doc == nil {
									report(n.Pos(), "interface method "+s.Name.Name+"."+n.Name)
								}
							}
						}
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.IsExported() && s.Doc == nil && d.Doc == nil {
							report(n.Pos(), d.Tok.String()+" "+n.Name)
						}
					}
				}
			}
		}
	}
	return out
}

// receiverType is the name of a method's receiver type, without pointer or
// type parameters.
func receiverType(recv *ast.FieldList) string {
	if recv == nil || len(recv.List) == 0 {
		return ""
	}
	t := recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}
