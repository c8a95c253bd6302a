package plugintest_test

import (
	"fmt"
	"os"
	"testing"
)

var built string

func tempDir() (string, error) {
	d, err := os.MkdirTemp("", "yurt-plugintest-bin-")
	built = d
	return d, err
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built != "" {
		_ = os.RemoveAll(built)
	}
	os.Exit(code)
}

// fatalT records Fatalf and stops the caller, as testing.T does.
type fatalT struct {
	testing.TB
	msg string
}

func (f *fatalT) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(f.msg)
}

func (f *fatalT) Helper() {}
