package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNew: `yurt new` writes a project and lists its files; bad input is
// refused with the field, the expected form and the value, and nothing is
// written.
func TestNew(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	code, out, errs := runOut("new", "driver", "my-driver", "--lang", "python", "--dir", dir)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, `Created a python driver plugin "my-driver"`)
	assert.Contains(t, out, "my_driver.py")
	b, err := os.ReadFile(filepath.Join(dir, "my_driver.py"))
	require.NoError(t, err)
	assert.Contains(t, string(b), `name = "my-driver"`)

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"new", "driver", "My_Driver", "--lang", "go"}, `NAME: expected lower-case letters`},
		{[]string{"new", "network", "x", "--lang", "go"}, `KIND: expected one of driver, device, got "network"`},
		{[]string{"new", "driver", "x", "--lang", "cobol"}, `--lang: expected one of go, python, rust, got "cobol"`},
		{[]string{"new", "driver", "x", "--lang", "go", "--dir", dir}, "--dir: expected a new or empty directory"},
	} {
		code, _, errs := runOut(c.args...)
		assert.Equal(t, 1, code, "%v", c.args)
		assert.Contains(t, errs, c.want, "%v", c.args)
	}
	code, _, errs = runOut("new", "driver", "x")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--lang: expected one of go, python, rust, got nothing")
	entries, _ := os.ReadDir(filepath.Dir(dir))
	assert.Len(t, entries, 1, "only the first project was written")
	assert.False(t, strings.Contains(errs, "panic"))
}
