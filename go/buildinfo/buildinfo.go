// Package buildinfo says which release a Yurt binary is, which commit it was
// built from and which wire protocol it speaks; `yurt version` and every
// binary's --version print it.
package buildinfo

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Version is the release this source tree is (CHANGELOG.md). A binary built
// by `go install module@vX.Y.Z` reports the module version instead.
const Version = "0.1.0"

// Wire protocol constants (Nomad's plugins/base/plugin.go handshake and
// plugin API version; see CHANGELOG.md "Wire version").
const (
	PluginAPIVersion     = "v0.1.0"
	GoPluginCoreProtocol = 1
	GoPluginAppProtocol  = 2
)

// Info describes one binary.
type Info struct {
	Program   string `json:"program"`
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Modified  bool   `json:"modified,omitempty"`
	GoVersion string `json:"go_version"`
	Wire      Wire   `json:"wire"`
}

// Wire is the plugin protocol a binary speaks.
type Wire struct {
	PluginAPI    string `json:"plugin_api"`
	GoPluginCore int    `json:"go_plugin_core"`
	GoPluginApp  int    `json:"go_plugin_app"`
}

// Get returns the Info of the running binary, named program.
func Get(program string) Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuildInfo(program, bi)
}

func fromBuildInfo(program string, bi *debug.BuildInfo) Info {
	i := Info{Program: program, Version: Version, Commit: "unknown", GoVersion: runtime.Version(),
		Wire: Wire{PluginAPI: PluginAPIVersion, GoPluginCore: GoPluginCoreProtocol, GoPluginApp: GoPluginAppProtocol}}
	if bi == nil {
		return i
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		i.Version = v
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if s.Value != "" {
				i.Commit = s.Value
			}
		case "vcs.modified":
			i.Modified = s.Value == "true"
		}
	}
	return i
}

// String is the one-paragraph text form.
func (i Info) String() string {
	commit := i.Commit
	if i.Modified {
		commit += " (modified)"
	}
	return fmt.Sprintf("%s %s\ncommit: %s\nwire: Nomad plugin API %s, go-plugin core protocol %d, app protocol %d\ngo: %s\n",
		i.Program, i.Version, commit, i.Wire.PluginAPI, i.Wire.GoPluginCore, i.Wire.GoPluginApp, i.GoVersion)
}

// Write prints i as text, or as one JSON object when asJSON.
func (i Info) Write(w io.Writer, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(i)
	}
	_, err := io.WriteString(w, i.String())
	return err
}
