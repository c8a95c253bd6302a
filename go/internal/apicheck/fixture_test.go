package apicheck

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// The test of the test: a fixture package leaking a fake generated type in
// every way the checker must see, next to clean declarations it must not
// report.

const fakeGen = `package fakepb

type Msg struct{ A int }

type Server interface{ Serve(*Msg) error }

type UnimplementedServer struct{}

func (UnimplementedServer) Serve(*Msg) error { return nil }
`

const leaky = `package leaky

import (
	"context"

	"example.com/m/gen/fakepb"
)

// Leaks.
func Param(m *fakepb.Msg)                       {}
func Result() []fakepb.Msg                      { return nil }
func InMap() map[string]*fakepb.Msg             { return nil }
func InChan() <-chan *fakepb.Msg                { return nil }
func InFunc(f func(context.Context) *fakepb.Msg) {}
var Var *fakepb.Msg
type Alias = fakepb.Msg
type Field struct{ M *fakepb.Msg }
type Iface interface{ Get() *fakepb.Msg }
type Method struct{}
func (Method) Get() *fakepb.Msg { return nil }
func (*Method) PtrGet() *fakepb.Msg { return nil }
type Embeds struct{ fakepb.UnimplementedServer }
type hidden struct{ M *fakepb.Msg }
func Hidden() hidden { return hidden{} }
type Generic[T any] struct{ V T }
func Instance() Generic[*fakepb.Msg] { return Generic[*fakepb.Msg]{} }

// Clean: unexported members and plain types.
type Clean struct {
	N int
	m *fakepb.Msg
}
func (Clean) get() *fakepb.Msg { return nil }
func Plain(n int) string     { return "" }
func unexported(*fakepb.Msg)  {}
`

type mapImporter map[string]*types.Package

func (m mapImporter) Import(path string) (*types.Package, error) {
	if p, ok := m[path]; ok {
		return p, nil
	}
	return importer.Default().Import(path)
}

func typecheck(t *testing.T, imp types.Importer, path, src string) *types.Package {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path+".go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: imp}
	pkg, err := conf.Check(path, fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

func TestCheckFindsEveryLeak(t *testing.T) {
	imp := mapImporter{}
	imp["example.com/m/gen/fakepb"] = typecheck(t, imp, "example.com/m/gen/fakepb", fakeGen)
	pkg := typecheck(t, imp, "example.com/m/leaky", leaky)

	got := map[string]string{}
	for _, f := range Check(pkg, "example.com/m/gen/") {
		got[f.Symbol] = f.String()
	}
	p := "example.com/m/leaky."
	msg := "example.com/m/gen/fakepb.Msg"
	want := map[string]string{
		p + "Param": msg, p + "Result": msg, p + "InMap": msg, p + "InChan": msg, p + "InFunc": msg,
		p + "Var": msg, p + "Alias": msg, p + "Field.M": msg, p + "Iface.Get": msg,
		p + "Method.Get": msg, p + "Method.PtrGet": msg,
		p + "Embeds.UnimplementedServer": "example.com/m/gen/fakepb.UnimplementedServer",
		p + "Embeds.Serve":               msg, p + "Hidden": msg, p + "Instance": msg,
	}
	for sym, m := range want {
		wantLine := fmt.Sprintf("%s: mentions %s", sym, m)
		if got[sym] != wantLine {
			t.Errorf("missing finding %q (got %q)", wantLine, got[sym])
		}
		delete(got, sym)
	}
	for _, line := range got {
		t.Errorf("unexpected finding %q", line)
	}
}

func TestIsPublic(t *testing.T) {
	for _, c := range []struct {
		path, name string
		want       bool
	}{
		{module + "/plugin/driver", "driver", true},
		{module + "/internal/server", "server", false},
		{module + "/plugin/supervise/internal/supervisetest", "main", false},
		{module + "/host/internal/x", "x", false},
		{module + "/gen/driverpb", "driverpb", false},
		{module + "/generic", "generic", true},
		{module + "/cmd/yurt", "main", false},
	} {
		if got := isPublic(c.path, c.name, genPrefix); got != c.want {
			t.Errorf("isPublic(%q, %q) = %v, want %v", c.path, c.name, got, c.want)
		}
	}
}
