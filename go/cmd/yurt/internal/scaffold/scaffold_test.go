package scaffold

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateName(t *testing.T) {
	for _, ok := range []string{"a", "my-driver", "gpu2", "x-1-y"} {
		if err := ValidateName(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "My", "my_driver", "-a", "a-", "a--b", "1a", "a.b", "a b", "yurt", strings.Repeat("a", 41)} {
		err := ValidateName(bad)
		if err == nil || !strings.Contains(err.Error(), "NAME: expected") || !strings.Contains(err.Error(), "got") {
			t.Errorf("%q: expected an error naming NAME, the expected form and the value, got %v", bad, err)
		}
	}
}

// Every pair renders, with no placeholder left, the README, the Makefile
// with a build target, tests and the conformance files.
func TestEveryPairRenders(t *testing.T) {
	for _, lang := range Langs {
		for _, kind := range Kinds {
			files, err := Files(Options{Kind: kind, Lang: lang, Name: "my-plugin"})
			if err != nil {
				t.Fatalf("%s/%s: %v", lang, kind, err)
			}
			need := []string{"README.md", "Makefile", "conformance/plugin.hcl"}
			if kind == "driver" {
				need = append(need, "conformance/scenarios.hcl")
			}
			for _, n := range need {
				if _, ok := files[n]; !ok {
					t.Errorf("%s/%s: no %s", lang, kind, n)
				}
			}
			if !bytes.Contains(files["Makefile"], []byte("\nbuild:")) || !bytes.Contains(files["Makefile"], []byte("plugins/my-plugin")) {
				t.Errorf("%s/%s: the Makefile has no build target writing plugins/my-plugin", lang, kind)
			}
			tests := 0
			for name, b := range files {
				if strings.Contains(name, "test") {
					tests++
				}
				if strings.Contains(name, "__") || bytes.Contains(b, []byte("__NAME__")) {
					t.Errorf("%s/%s: %s: placeholder left", lang, kind, name)
				}
				if strings.HasSuffix(name, ".tmpl") {
					t.Errorf("%s/%s: %s kept its .tmpl suffix", lang, kind, name)
				}
			}
			if tests == 0 {
				t.Errorf("%s/%s: no tests", lang, kind)
			}
		}
	}
}

// The drivers' scenarios are the example process drivers' file, verbatim.
func TestScenariosAreTheExamplesFile(t *testing.T) {
	want, err := os.ReadFile("../../../../../examples/conformance/process-driver.scenarios.hcl")
	if err != nil {
		t.Fatal(err)
	}
	got, err := templates.ReadFile("templates/driver/conformance/scenarios.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("templates/driver/conformance/scenarios.hcl differs from examples/conformance/process-driver.scenarios.hcl: run `go generate ./cmd/yurt/internal/scaffold`")
	}
}

func TestGenerateRefusesANonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := Generate(Options{Kind: "driver", Lang: "go", Name: "x", Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "--dir: expected a new or empty directory") {
		t.Fatalf("expected a refusal naming --dir, got %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("the directory was changed: %d entries", len(entries))
	}
	// No temporary directory is left beside it either.
	siblings, _ := os.ReadDir(filepath.Dir(dir))
	for _, s := range siblings {
		if strings.Contains(s.Name(), ".yurt-new-") {
			t.Errorf("left behind: %s", s.Name())
		}
	}
}

func TestGenerateIntoAnEmptyDirAndTheSourceOverride(t *testing.T) {
	dir := t.TempDir()
	out, files, err := Generate(Options{Kind: "driver", Lang: "go", Name: "x", Dir: dir, YurtSource: "../../../../.."})
	if err != nil {
		t.Fatal(err)
	}
	if out != dir || len(files) == 0 {
		t.Fatalf("got %s with %v", out, files)
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("../../../..")
	if !strings.Contains(string(mod), "replace github.com/yurt-sdk/yurt/go => "+abs) {
		t.Errorf("go.mod: expected a replace to %s, got\n%s", abs, mod)
	}
	_, _, err = Generate(Options{Kind: "driver", Lang: "go", Name: "x", Dir: t.TempDir(), YurtSource: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "--yurt-source: expected a checkout") {
		t.Errorf("a directory that is no checkout: expected an error naming --yurt-source, got %v", err)
	}
}

func TestBadKindAndLang(t *testing.T) {
	if _, err := Files(Options{Kind: "network", Lang: "go", Name: "x"}); err == nil || !strings.Contains(err.Error(), `KIND: expected one of driver, device, got "network"`) {
		t.Errorf("kind: %v", err)
	}
	if _, err := Files(Options{Kind: "driver", Lang: "java", Name: "x"}); err == nil || !strings.Contains(err.Error(), `--lang: expected one of go, python, rust, got "java"`) {
		t.Errorf("lang: %v", err)
	}
}
