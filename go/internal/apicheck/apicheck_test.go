package apicheck

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const (
	module    = "github.com/yurt-sdk/yurt/go"
	genPrefix = module + "/gen/"
)

// exceptions are public packages not checked. There are none (go/host,
// once excepted, speaks the SDK's public types); nothing may be added here.
var exceptions []string

func excepted(path string) bool {
	for _, e := range exceptions {
		if path == e || strings.HasPrefix(path, e+"/") {
			return true
		}
	}
	return false
}

func moduleDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// TestNoGeneratedTypesInPublicAPI is the acceptance test of issue 18: the
// module's exported Go API names no generated type.
func TestNoGeneratedTypesInPublicAPI(t *testing.T) {
	pkgs, err := Public(moduleDir(t), genPrefix)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	sawSDK := false
	for _, pkg := range pkgs {
		if pkg.Path() == module+"/plugin/driver" {
			sawSDK = true
		}
		if excepted(pkg.Path()) {
			continue
		}
		checked++
		for _, f := range Check(pkg, genPrefix) {
			t.Errorf("%s", f)
		}
	}
	// The listing itself must have worked: the SDK's packages are in it.
	if !sawSDK || checked < 10 {
		t.Fatalf("listed %d public packages (%d checked), expected the SDK's (plugin/driver among them)", len(pkgs), checked)
	}
	t.Logf("%d public packages checked, %d excepted", checked, len(pkgs)-checked)
}
