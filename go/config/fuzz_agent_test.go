package config

import (
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseAgent feeds arbitrary bytes to the agent file parser: it must
// return a config or an error that names the file, never panic, and an
// accepted config must be usable (absolute dirs, every plugin named).
func FuzzParseAgent(f *testing.F) {
	f.Add([]byte("data_dir = \"/var/lib/yurt\"\nplugin_dir = \"plugins\"\nplugin \"go-exec\" {\n  args = [\"-v\"]\n  config { x = 1 }\n}\n"))
	f.Add([]byte("plugin \"a\" {}\nplugin \"a\" {}\n"))
	f.Add([]byte("data_dir = 3\n"))
	f.Add([]byte("plugin {}\n"))
	f.Add([]byte("plugin \"p\" { args = \"notalist\" }\n"))
	f.Add([]byte("data_dir = \"\"\n"))
	f.Add([]byte("\x00\xff{{{"))
	// Hostile seeds: nesting far past the limit, huge numbers.
	f.Add([]byte("plugin \"p\" {\n  config {\n    x = " + strings.Repeat("{a=", 60000) + "1" + strings.Repeat("}", 60000) + "\n  }\n}\n"))
	f.Add([]byte("plugin \"p\" {\n  args = " + strings.Repeat("[", 60000) + "\n}\n"))
	f.Add([]byte("limits {\n  max_request_bytes = 9223372036854775807\n  max_exec_frame_bytes = 1e999999\n}\n"))
	f.Add([]byte("plugin \"p\" {\n  start_task_timeout = \"99999999999999h\"\n}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		a, err := ParseAgent(src, "/etc/yurt/agent.hcl")
		if err != nil {
			if !strings.Contains(err.Error(), "agent.hcl") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, d := range []string{a.DataDir, a.PluginDir} {
			if d != "" && !filepath.IsAbs(d) {
				t.Fatalf("accepted a relative dir %q", d)
			}
		}
		for name, p := range a.Plugins {
			if p == nil || p.Name != name {
				t.Fatalf("plugin block %q parsed as %+v", name, p)
			}
		}
	})
}

// FuzzParseSignal: any name either parses to a signal whose canonical name
// parses back to the same signal, or is an error naming the input.
func FuzzParseSignal(f *testing.F) {
	for _, s := range []string{"SIGTERM", "term", "SIGKILL", "9", "", "SIGNOPE", "sigint "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		sig, err := ParseSignal(name)
		if err != nil {
			return
		}
		back, err := ParseSignal(SignalName(sig))
		if err != nil || back != sig {
			t.Fatalf("%q -> %v -> %q -> %v, %v", name, sig, SignalName(sig), back, err)
		}
	})
}
