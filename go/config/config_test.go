package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

func TestParseAgentGood(t *testing.T) {
	src := `
data_dir   = "state"
plugin_dir = "/opt/plugins"

plugin "yurt-driver-process" {
  args = ["-v", "x"]
  config {
    enabled = true
  }
}

plugin "dev" {}
`
	a, err := ParseAgent([]byte(src), "/etc/yurt/agent.hcl")
	require.NoError(t, err)
	assert.Equal(t, "/etc/yurt/state", a.DataDir, "relative data_dir is taken from the file's directory")
	assert.Equal(t, "/opt/plugins", a.PluginDir)
	require.Len(t, a.Plugins, 2)
	p := a.Plugins["yurt-driver-process"]
	assert.Equal(t, []string{"-v", "x"}, p.Args)
	require.NotNil(t, p.Config)
	// The config body stays raw until a plugin schema decodes it.
	v, diags := hcldec.Decode(p.Config, &hcldec.AttrSpec{Name: "enabled", Type: cty.Bool}, nil)
	require.False(t, diags.HasErrors(), diags.Error())
	assert.Equal(t, cty.True, v)
	assert.Nil(t, a.Plugins["dev"].Config)
}

func TestParseAgentBad(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"syntax", "data_dir = \n", "agent.hcl:1:"},
		{"unknown attribute", "data_dir = \"/x\"\nbogus = 1\n", `agent.hcl:2:1: Unsupported argument; An argument named "bogus" is not expected here.`},
		{"wrong type", "plugin_dir = [1]\n", "agent.hcl:1:14: Unsuitable value type; Unsuitable value: string required"},
		{"empty", "data_dir = \"\"\n", "agent.hcl:1:12: Empty value; data_dir must be a non-empty string"},
		{"slash in plugin name", "plugin \"a/b\" {}\n", `agent.hcl:1:8: Invalid plugin name`},
		{"duplicate plugin", "plugin \"a\" {}\nplugin \"a\" {}\n", `agent.hcl:2:1: Duplicate plugin block; plugin "a" is already configured at`},
		{"args not list", "plugin \"a\" {\n  args = \"x\"\n}\n", "agent.hcl:2:11: Unsuitable value type; Unsuitable value: list of string required"},
		{"two configs", "plugin \"a\" {\n config {}\n config {}\n}\n", "agent.hcl:3:2: Duplicate config block"},
		{"missing label", "plugin {}\n", "agent.hcl:1:8: Missing file name for plugin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseAgent([]byte(tc.src), "agent.hcl")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			var diags hcl.Diagnostics
			assert.ErrorAs(t, err, &diags)
		})
	}
}

func TestLoadAgentMissingFile(t *testing.T) {
	_, err := LoadAgent(filepath.Join(t.TempDir(), "nope.hcl"))
	require.ErrorContains(t, err, "nope.hcl: no such file")
}

func TestLoadAgentFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "agent.hcl")
	require.NoError(t, os.WriteFile(p, []byte("data_dir = \"d\"\n"), 0o600))
	a, err := LoadAgent(p)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(filepath.Dir(p), "d"), a.DataDir)
}

func TestParseTasksGood(t *testing.T) {
	src := `
task "web" {
  driver = "process"
  config {
    command = "/bin/sleep"
    args    = ["10"]
  }
  env = { GREETING = "hi", "A_B" = "2" }
  user = "nobody"
  kill_timeout = "1m30s"
  kill_signal = "term"
  resources {
    cpu    = 200
    memory = 64
    device "yurt/gpu/sim" { count = 2 }
    device "fpga" {}
    device "acme/nic" { count = 1 }
  }
  logs {
    max_files = 3
    max_file_size = 1
  }
}

task "plain" {
  driver = "process"
}
`
	tasks, err := ParseTasks([]byte(src), "t.hcl")
	require.NoError(t, err)
	require.Len(t, tasks, 2)
	w := tasks[0]
	assert.Equal(t, "web", w.Name)
	assert.Equal(t, "process", w.Driver)
	assert.Equal(t, map[string]string{"GREETING": "hi", "A_B": "2"}, w.Env)
	assert.Equal(t, "nobody", w.User)
	assert.Equal(t, 90*time.Second, w.KillTimeout)
	assert.Equal(t, "SIGTERM", w.KillSignal)
	assert.Equal(t, 200, w.Resources.CPU)
	assert.Equal(t, 64, w.Resources.MemoryMB)
	assert.Equal(t, Logs{MaxFiles: 3, MaxFileSizeMB: 1}, w.Logs)
	require.Len(t, w.Resources.Devices, 3)
	d := w.Resources.Devices[0]
	assert.Equal(t, DeviceRequest{Name: "yurt/gpu/sim", Vendor: "yurt", Type: "gpu", Model: "sim", Count: 2, Range: d.Range}, d)
	assert.True(t, d.Matches("yurt", "gpu", "sim"))
	assert.False(t, d.Matches("yurt", "gpu", "other"))
	assert.True(t, w.Resources.Devices[1].Matches("x", "fpga", "y"))
	assert.Equal(t, 1, w.Resources.Devices[1].Count)
	assert.True(t, w.Resources.Devices[2].Matches("acme", "nic", "any"))
	assert.False(t, w.Resources.Devices[2].Matches("other", "nic", "any"))

	v, _, diags := hcldec.PartialDecode(w.Config, &hcldec.AttrSpec{Name: "command", Type: cty.String}, nil)
	require.False(t, diags.HasErrors(), diags.Error())
	assert.Equal(t, "/bin/sleep", v.AsString())

	p := tasks[1]
	assert.Equal(t, DefaultKillTimeout, p.KillTimeout)
	assert.Equal(t, DefaultKillSignal, p.KillSignal)
	assert.NotNil(t, p.Config, "an absent config block is an empty body")
	assert.Empty(t, p.Resources.Devices)
}

func TestParseTasksBad(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"no tasks", "", "t.hcl:1:1: No task"},
		{"syntax", "task \"a\" {\n driver = \n}\n", "t.hcl:2:"},
		{"no driver", "task \"a\" {\n}\n", `t.hcl:1:10: Missing required argument; The argument "driver" is required`},
		{"bad name", "task \"a b\" {\n driver = \"x\"\n}\n", `t.hcl:1:6: Invalid task name`},
		{"duplicate", "task \"a\" {\n driver = \"x\"\n}\ntask \"a\" {\n driver = \"x\"\n}\n", `t.hcl:4:6: Duplicate task`},
		{"unknown field", "task \"a\" {\n driver = \"x\"\n image = \"y\"\n}\n", `t.hcl:3:2: Unsupported argument; An argument named "image" is not expected here.`},
		{"bad timeout", "task \"a\" {\n driver = \"x\"\n kill_timeout = \"5 parsecs\"\n}\n", `t.hcl:3:17: Invalid kill_timeout; kill_timeout must be a duration from 0s to 24h0m0s such as "5s" or "1m30s", got "5 parsecs"`},
		{"negative timeout", "task \"a\" {\n driver = \"x\"\n kill_timeout = \"-1s\"\n}\n", `Invalid kill_timeout`},
		{"bad signal", "task \"a\" {\n driver = \"x\"\n kill_signal = \"SIGFOO\"\n}\n", `t.hcl:3:16: Invalid kill_signal; unknown signal "SIGFOO"; expected one of SIGABRT`},
		{"env not map", "task \"a\" {\n driver = \"x\"\n env = [\"A=1\"]\n}\n", `t.hcl:3:8: Unsuitable value type; Unsuitable value: map of string required`},
		{"env bad key", "task \"a\" {\n driver = \"x\"\n env = { \"A=B\" = \"1\" }\n}\n", `Invalid environment variable name; env keys must be non-empty and contain no '=' or NUL, got "A=B"`},
		{"negative memory", "task \"a\" {\n driver = \"x\"\n resources {\n  memory = -1\n }\n}\n", `t.hcl:4:12: Invalid memory; memory must be a whole number from 0 to 16777216 (MB), got -1`},
		{"memory string", "task \"a\" {\n driver = \"x\"\n resources {\n  memory = \"lots\"\n }\n}\n", `t.hcl:4:12: Unsuitable value type; Unsuitable value: a number is required`},
		{"device zero", "task \"a\" {\n driver = \"x\"\n resources {\n  device \"gpu\" { count = 0 }\n }\n}\n", `t.hcl:4:26: Invalid count; count must be a whole number from 1 to 1024, got 0`},
		{"device bad name", "task \"a\" {\n driver = \"x\"\n resources {\n  device \"a/b/c/d\" {}\n }\n}\n", `t.hcl:4:10: Invalid device name; device name must be "type", "vendor/type" or "vendor/type/name" (at most 256 bytes), got "a/b/c/d"`},
		{"two configs", "task \"a\" {\n driver = \"x\"\n config {}\n config {}\n}\n", `t.hcl:4:2: Duplicate config block`},
		{"two resources", "task \"a\" {\n driver = \"x\"\n resources { cpu = 1 }\n resources { cpu = 2 }\n}\n", `t.hcl:4:2: Duplicate resources block`},
		{"variables", "task \"a\" {\n driver = var.d\n}\n", `t.hcl:2:11: Variables not allowed`},
		{"log files zero", "task \"a\" {\n driver = \"x\"\n logs { max_files = 0 }\n}\n", `t.hcl:3:21: Invalid max_files`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTasks([]byte(tc.src), "t.hcl")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestSignals(t *testing.T) {
	for _, in := range []string{"SIGTERM", "TERM", "term", " sigterm "} {
		s, err := ParseSignal(in)
		require.NoError(t, err, in)
		assert.Equal(t, "SIGTERM", SignalName(s))
	}
	_, err := ParseSignal("SIGNOPE")
	require.ErrorContains(t, err, `unknown signal "SIGNOPE"`)
}

func FuzzParseTasks(f *testing.F) {
	f.Add([]byte("task \"a\" {\n driver = \"x\"\n resources { device \"a/b\" { count = 2 } }\n}\n"))
	f.Add([]byte("task \"a\" { driver = 1 }"))
	// Hostile seeds (also under testdata/fuzz/FuzzParseTasks): nesting far
	// past the limit, numbers past int64, a huge kill_timeout.
	f.Add([]byte("task \"a\" {\n driver = \"x\"\n config {\n  args = " + strings.Repeat("[", 60000) + strings.Repeat("]", 60000) + "\n }\n}\n"))
	f.Add([]byte(strings.Repeat("task \"a\" {\n", 5000)))
	f.Add([]byte("task \"a\" {\n driver = \"x\"\n resources {\n  memory = 9223372036854775807\n  cpu = 1e400\n }\n logs { max_file_size = 9223372036854775807 }\n}\n"))
	f.Add([]byte("task \"a\" {\n driver = \"x\"\n kill_timeout = \"9999999999999h\"\n env = { A = \"" + strings.Repeat("${\"", 3000) + "\" }\n}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		tasks, err := ParseTasks(src, "f.hcl")
		if err == nil && len(tasks) == 0 {
			t.Fatal("no error and no tasks")
		}
		for _, tk := range tasks {
			r := tk.Resources
			if int64(r.MemoryMB) > RangeMemoryMB.max || r.MemoryMB < 0 || int64(r.CPU) > RangeCPU.max || r.CPU < 0 ||
				int64(tk.Logs.MaxFileSizeMB) > RangeLogFileMB.max || tk.Logs.MaxFileSizeMB < 1 {
				t.Fatalf("out-of-range value accepted: %+v %+v", r, tk.Logs)
			}
		}
	})
}
