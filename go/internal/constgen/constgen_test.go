package constgen

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// root is the repository root seen from this package's directory.
var root = filepath.Join("..", "..", "..")

// TestGeneratedConstantsAreCurrent fails when a generated constants file
// differs from what spec/handshake.json gives.
func TestGeneratedConstantsAreCurrent(t *testing.T) {
	c, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	for rel, want := range Files(c) {
		got, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatalf("%v (run `go run ./internal/constgen/cmd` in go/)", err)
		}
		if string(got) != want {
			t.Errorf("%s is stale or edited by hand: run `go run ./internal/constgen/cmd` in go/", rel)
		}
	}
}

// skipDirs are build outputs and tool caches, never hand-written sources.
var skipDirs = map[string]bool{".git": true, "target": true, "build": true, ".venv": true,
	"node_modules": true, "__pycache__": true, ".mypy_cache": true, ".ruff_cache": true,
	".pytest_cache": true, ".hypothesis": true, "dist": true}

// TestCookieHasOneSource walks the repository and fails when the magic
// cookie's value appears in any file other than its source and the files
// generated from it: every other file must use a generated constant (or read
// the source), so the value cannot drift between languages.
func TestCookieHasOneSource(t *testing.T) {
	c, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{Source: true}
	for rel := range Files(c) {
		allowed[rel] = true
	}
	var found []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skipDirs[d.Name()] || (path != root && isNestedCheckout(path)) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if allowed[rel] {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), c.MagicCookieValue) {
			found = append(found, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("%s holds the magic cookie's value; use the constant generated from %s instead", f, Source)
	}
	// The scan must see the tree: the allowed files themselves hold it.
	b, err := os.ReadFile(filepath.Join(root, "sdk-python/src/yurt/_constants.py"))
	if err != nil || !strings.Contains(string(b), c.MagicCookieValue) {
		t.Fatalf("the generated Python constants do not hold the cookie (%v): the scan cannot be trusted", err)
	}
}

// isNestedCheckout is a directory with its own .git (a worktree or another
// clone inside this one), which is not part of this tree.
func isNestedCheckout(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".git"))
	return err == nil
}
