package doccheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The SDK a plugin author imports: go/plugin and every package under it, and
// go/hclspec. Every exported identifier in them must have a doc comment: this
// test is the build's doc check.
var sdkRoots = []string{"../../plugin", "../../hclspec"}

func sdkPackages(t *testing.T) []string {
	var dirs []string
	for _, root := range sdkRoots {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			if d.IsDir() {
				dirs = append(dirs, path)
			}
			return nil
		})
		require.NoError(t, err)
	}
	return dirs
}

func TestSDKPackagesDocumentEveryExportedIdentifier(t *testing.T) {
	dirs := sdkPackages(t)
	require.GreaterOrEqual(t, len(dirs), 5, "found only %v", dirs)
	for _, dir := range dirs {
		missing, err := Missing(dir)
		require.NoError(t, err)
		if len(missing) > 0 {
			t.Errorf("%s: exported identifiers without a doc comment:\n  %s", dir, strings.Join(missing, "\n  "))
		}
	}
}

// The check bites: each undocumented kind is named; documented ones, unexported
// ones and methods of unexported types are not.
func TestMissingNamesEachUndocumentedIdentifier(t *testing.T) {
	dir := t.TempDir()
	src := `package sample

// Documented is fine.
type Documented struct{}

type Bare struct{}

func (Bare) Method() {}

func (d *Documented) Fine() {}

// Iface is documented, one of its methods is not.
type Iface interface {
	// Good has a comment.
	Good()
	Bad()
}

// Group comment covers both.
const (
	A = 1
	B = 2
)

var Loose = 3

func Exported() {}

func unexported() {}

type hidden struct{}

func (hidden) Exported() {}
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sample.go"), []byte(src), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sample_test.go"), []byte("package sample\n\nfunc TestX() {}\n"), 0o644))
	missing, err := Missing(dir)
	require.NoError(t, err)
	var got []string
	for _, m := range missing {
		got = append(got, m[strings.LastIndex(m, ": ")+2:])
	}
	require.ElementsMatch(t, []string{
		"type Bare", "method Bare.Method", "method Documented.Fine", "interface method Iface.Bad",
		"var Loose", "func Exported", "package sample (no package comment)",
	}, got)
}
