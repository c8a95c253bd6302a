// Package scaffold generates a complete plugin project for `yurt new`: the
// config schema, the lifecycle methods (a driver on the task-supervision
// layer), a README, tests on the language's testing helper, conformance
// files for yurt-conformance and a Makefile whose `build` target writes what
// a Nomad client's plugin_dir needs.
//
// Templates live in templates/<lang>/<kind>/ (embedded), plus
// templates/common/ for files every project gets, templates/<kind>/ for
// every project of a kind and templates/<lang>/common/ for every project in
// a language. templates/driver/conformance/scenarios.hcl is a copy of
// examples/conformance/process-driver.scenarios.hcl (go generate; a test
// fails when they differ). A template file is copied
// with its placeholders replaced (see Placeholders); a file name may hold
// them too. A name ending in ".tmpl" loses that suffix (for files a tool
// would otherwise pick up inside this repository, such as go.mod).
package scaffold

//go:generate cp ../../../../../examples/conformance/process-driver.scenarios.hcl templates/driver/conformance/scenarios.hcl

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

//go:embed all:templates
var templates embed.FS

// Langs and Kinds are the values `yurt new` accepts.
var (
	Langs = []string{"go", "python", "rust"}
	Kinds = []string{"driver", "device"}
)

// SDKVersion is the release of the yurt SDKs a generated project depends on.
const SDKVersion = "0.1.0"

// GoModule is the Go SDK's module path (go/go.mod).
const GoModule = "github.com/yurt-sdk/yurt/go"

// Options says what to generate.
type Options struct {
	Kind string // driver or device
	Lang string // go, python or rust
	Name string // the plugin name: driver = "<Name>" in a job, the file in plugin_dir
	Dir  string // where; default ./<Name>
	// YurtSource, when set, is a checkout of this repository: the project
	// depends on its SDK by path (Go replace, Rust [patch]) instead of the
	// release. Tests of the generator use it.
	YurtSource string
}

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// ValidateName checks a plugin name: lower-case letters and digits in
// words joined by single hyphens, starting with a letter, at most 40
// characters. The same name is the binary in plugin_dir, the Go module,
// the Rust package and (hyphens as underscores) the Python module, so it
// must be valid for all of them.
func ValidateName(name string) error {
	if len(name) > 40 || !nameRE.MatchString(name) {
		return fmt.Errorf("NAME: expected lower-case letters and digits in words joined by single hyphens, starting with a letter, at most 40 characters (e.g. \"my-driver\"), got %q", name)
	}
	switch name {
	case "yurt", "test", "main", "std", "core":
		return fmt.Errorf("NAME: expected a name that does not shadow a package the project imports, got %q", name)
	}
	return nil
}

// Placeholders maps each placeholder to its value for o.
func Placeholders(o Options) (map[string]string, error) {
	module := strings.ReplaceAll(o.Name, "-", "_")
	var typ strings.Builder
	for _, w := range strings.Split(o.Name, "-") {
		typ.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	goReplace, rustYurt := "", fmt.Sprintf(`yurt = { git = "https://github.com/yurt-sdk/yurt", tag = "v%s" }`, SDKVersion)
	if o.YurtSource != "" {
		src, err := filepath.Abs(o.YurtSource)
		if err != nil {
			return nil, fmt.Errorf("--yurt-source: %w", err)
		}
		goReplace = fmt.Sprintf("\n// A local checkout of the SDK (yurt new --yurt-source): drop this line to use the release.\nreplace %s => %s\n", GoModule, filepath.Join(src, "go"))
		rustYurt = fmt.Sprintf(`yurt = { path = %q }   # a local checkout (yurt new --yurt-source); the release: { git = "https://github.com/yurt-sdk/yurt", tag = "v%s" }`, filepath.Join(src, "sdk-rust", "yurt"), SDKVersion)
	}
	return map[string]string{
		"__NAME__":        o.Name,
		"__MODULE__":      module,
		"__TYPE__":        typ.String(),
		"__ENV__":         strings.ToUpper(module),
		"__SDK_VERSION__": SDKVersion,
		"__GO_MODULE__":   GoModule,
		"__GO_REPLACE__":  goReplace,
		"__RUST_YURT__":   rustYurt,
		"__KIND__":        o.Kind,
		"__LANG__":        o.Lang,
	}, nil
}

func checkOptions(o *Options) error {
	if !contains(Kinds, o.Kind) {
		return fmt.Errorf("KIND: expected one of %s, got %q", strings.Join(Kinds, ", "), o.Kind)
	}
	if !contains(Langs, o.Lang) {
		return fmt.Errorf("--lang: expected one of %s, got %q", strings.Join(Langs, ", "), o.Lang)
	}
	if err := ValidateName(o.Name); err != nil {
		return err
	}
	if o.Dir == "" {
		o.Dir = o.Name
	}
	if o.YurtSource != "" {
		for _, f := range []string{"go/go.mod", "sdk-rust/yurt/Cargo.toml", "sdk-python/pyproject.toml"} {
			if _, err := os.Stat(filepath.Join(o.YurtSource, f)); err != nil {
				return fmt.Errorf("--yurt-source: expected a checkout of the yurt repository (with %s), got %q", f, o.YurtSource)
			}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Files renders the project for o in memory: relative path -> content.
func Files(o Options) (map[string][]byte, error) {
	if err := checkOptions(&o); err != nil {
		return nil, err
	}
	vals, err := Placeholders(o)
	if err != nil {
		return nil, err
	}
	pairs := make([]string, 0, 2*len(vals))
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		pairs = append(pairs, k, vals[k])
	}
	r := strings.NewReplacer(pairs...)
	out := map[string][]byte{}
	for _, root := range []string{"templates/common", path.Join("templates", o.Kind), path.Join("templates", o.Lang, "common"), path.Join("templates", o.Lang, o.Kind)} {
		err := fs.WalkDir(templates, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := templates.ReadFile(p)
			if err != nil {
				return err
			}
			rel := strings.TrimSuffix(r.Replace(strings.TrimPrefix(p, root+"/")), ".tmpl")
			out[rel] = []byte(r.Replace(string(b)))
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if o.Lang == "rust" && o.YurtSource != "" {
		// The checkout's lock file as the project's first one: cargo keeps its versions
		// (and drops what the project does not use), so the project builds with exactly
		// the crates the SDK is tested with and shares their build artifacts.
		lock, err := os.ReadFile(filepath.Join(o.YurtSource, "Cargo.lock"))
		if err != nil {
			return nil, fmt.Errorf("--yurt-source: %w", err)
		}
		out["Cargo.lock"] = lock
	}
	for rel, b := range out {
		if rel == "Cargo.lock" {
			continue
		}
		if m := regexp.MustCompile(`__[A-Z_]+__`).Find(b); m != nil {
			return nil, fmt.Errorf("template %s: unknown placeholder %s", rel, m)
		}
	}
	return out, nil
}

// Generate writes the project into o.Dir, which must not exist or be an
// empty directory. The files are written to a sibling temporary directory
// first and renamed into place, so a failure leaves nothing half-written.
// It returns the directory and the files written, sorted.
func Generate(o Options) (string, []string, error) {
	if err := checkOptions(&o); err != nil {
		return "", nil, err
	}
	files, err := Files(o)
	if err != nil {
		return "", nil, err
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return "", nil, fmt.Errorf("--dir: %w", err)
	}
	if entries, err := os.ReadDir(dir); err == nil {
		if len(entries) > 0 {
			return "", nil, fmt.Errorf("--dir: expected a new or empty directory, got %s with %d entries; nothing was written", dir, len(entries))
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", nil, fmt.Errorf("--dir: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", nil, fmt.Errorf("--dir: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".yurt-new-")
	if err != nil {
		return "", nil, fmt.Errorf("--dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	names := make([]string, 0, len(files))
	for rel, b := range files {
		p := filepath.Join(tmp, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", nil, err
		}
		mode := os.FileMode(0o644)
		if strings.HasPrefix(string(b), "#!") {
			mode = 0o755
		}
		if err := os.WriteFile(p, b, mode); err != nil {
			return "", nil, err
		}
		names = append(names, rel)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", nil, err
	}
	_ = os.Remove(dir) // an empty directory gives way; a non-empty one was refused above
	if err := os.Rename(tmp, dir); err != nil {
		return "", nil, fmt.Errorf("--dir: %w", err)
	}
	sort.Strings(names)
	return dir, names, nil
}
