package apicheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"strings"
)

// listed is the part of `go list -json` output the loader uses.
type listed struct {
	ImportPath string
	Name       string
	Export     string
	DepOnly    bool
	GoFiles    []string
	Error      *struct{ Err string }
}

// Public lists the packages of the module in dir (run with `go list
// -export -deps ./...`) that are public API: not main, not under an
// internal directory, not generated (path under genPrefix). It returns them
// type-checked from the compiler's export data.
func Public(dir, genPrefix string) ([]*types.Package, error) {
	cmd := exec.Command("go", "list", "-export", "-deps", "-json", "./...")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -export -deps -json ./... in %s: %v: %s", dir, err, stderr.String())
	}
	exports := map[string]string{}
	var targets []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("reading go list output: %w", err)
		}
		if p.Error != nil {
			return nil, fmt.Errorf("go list: %s: %s", p.ImportPath, p.Error.Err)
		}
		exports[p.ImportPath] = p.Export
		// A directory with test files only has no API.
		if !p.DepOnly && len(p.GoFiles) > 0 && isPublic(p.ImportPath, p.Name, genPrefix) {
			targets = append(targets, p.ImportPath)
		}
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok || f == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(f)
	})
	pkgs := make([]*types.Package, 0, len(targets))
	for _, path := range targets {
		pkg, err := imp.Import(path)
		if err != nil {
			return nil, fmt.Errorf("loading %s: %w", path, err)
		}
		pkgs = append(pkgs, pkg)
	}
	return pkgs, nil
}

func isPublic(path, name, genPrefix string) bool {
	if name == "main" || strings.HasPrefix(path+"/", genPrefix) {
		return false
	}
	for _, elem := range strings.Split(path, "/") {
		if elem == "internal" {
			return false
		}
	}
	return true
}
