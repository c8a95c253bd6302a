package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func taskWith(lines string) string {
	return "task \"a\" {\n  driver = \"x\"\n" + lines + "}\n"
}

// TestTaskFileLimits: nesting, size and every numeric field's range are
// checked at parse time, each error naming the field (or limit) and the line.
func TestTaskFileLimits(t *testing.T) {
	deep := "task \"a\" {\n  driver = \"x\"\n  config {\n    args = " + strings.Repeat("[", 60000) + strings.Repeat("]", 60000) + "\n  }\n}\n"
	cases := []struct{ name, src, want string }{
		{"60000 deep", deep, "t.hcl:4:"},
		{"60000 deep names the limit", deep, "Nesting too deep; this file nests deeper than the limit of 100 levels"},
		{"deep blocks", strings.Repeat("task \"a\" {\n", 200), "t.hcl:101:"},
		{"too large", "# " + strings.Repeat("x", 4<<20) + "\n", "task file t.hcl is 4.0 MiB (4194307 bytes), larger than the limit of 1 MiB (1048576 bytes)"},
		{"memory int64 max", taskWith("  resources {\n    memory = 9223372036854775807\n  }\n"),
			"t.hcl:4:14: Invalid memory; memory must be a whole number from 0 to 16777216 (MB), got 9223372036854775807"},
		{"memory past int64", taskWith("  resources {\n    memory = 1e400\n  }\n"), "t.hcl:4:14: Invalid memory; memory must be a whole number from 0 to 16777216 (MB), got 1e+400"},
		{"memory fraction", taskWith("  resources {\n    memory = 1.5\n  }\n"), "memory must be a whole number from 0 to 16777216 (MB), got 1.5"},
		{"cpu", taskWith("  resources {\n    cpu = 10000001\n  }\n"), "t.hcl:4:11: Invalid cpu; cpu must be a whole number from 0 to 10000000 (MHz), got 10000001"},
		{"cpu negative", taskWith("  resources {\n    cpu = -5\n  }\n"), "t.hcl:4:11: Invalid cpu"},
		{"device count", taskWith("  resources {\n    device \"gpu\" { count = 99999999999999999999 }\n  }\n"), "t.hcl:4:28: Invalid count; count must be a whole number from 1 to 1024, got 99999999999999999999"},
		{"max_file_size", taskWith("  logs {\n    max_file_size = 9223372036854775807\n  }\n"), "t.hcl:4:21: Invalid max_file_size; max_file_size must be a whole number from 1 to 1048576 (MB)"},
		{"max_files", taskWith("  logs {\n    max_files = 1001\n  }\n"), "t.hcl:4:17: Invalid max_files; max_files must be a whole number from 1 to 1000, got 1001"},
		{"kill_timeout overflow", taskWith("  kill_timeout = \"9999999999h\"\n"), "t.hcl:3:18: Invalid kill_timeout; kill_timeout must be a duration from 0s to 24h0m0s"},
		{"kill_timeout long value is cut", taskWith("  kill_timeout = \"" + strings.Repeat("9", 5000) + "\"\n"), "(5000 bytes in all)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTasks([]byte(tc.src), "t.hcl")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Less(t, len(err.Error()), 1000, "the error does not echo the input")
			var diags hcl.Diagnostics
			assert.ErrorAs(t, err, &diags)
		})
	}
	// The largest values in range are accepted.
	ts, err := ParseTasks([]byte(taskWith("  resources {\n    memory = 16777216\n    cpu = 10000000\n  }\n  logs {\n    max_file_size = 1048576\n    max_files = 1000\n  }\n  kill_timeout = \"24h\"\n")), "t.hcl")
	require.NoError(t, err)
	assert.Equal(t, 16<<20, ts[0].Resources.MemoryMB)
	assert.Equal(t, 24*time.Hour, ts[0].KillTimeout)
	// 99 levels of nesting are fine.
	_, err = ParseTasks([]byte("task \"a\" {\n  driver = \"x\"\n  config {\n    args = "+strings.Repeat("[", 97)+strings.Repeat("]", 97)+"\n  }\n}\n"), "t.hcl")
	require.NoError(t, err)
}

// TestAllDiagnosticsShown: every problem of a file is listed, each with
// file:line:col, not only the first.
func TestAllDiagnosticsShown(t *testing.T) {
	src := "task \"a\" {\n  driver = 1\n  bogus = 2\n  kill_signal = \"SIGNOPE\"\n  resources {\n    memory = -1\n  }\n}\n"
	_, err := ParseTasks([]byte(src), "t.hcl")
	require.Error(t, err)
	lines := strings.Split(err.Error(), "\n")
	require.Len(t, lines, 1, err.Error()) // an unknown argument stops the block: Content fails first
	assert.Contains(t, lines[0], "t.hcl:3:3: Unsupported argument")
	src = "task \"a\" {\n  driver = \"\"\n  kill_signal = \"SIGNOPE\"\n  kill_timeout = \"x\"\n  resources {\n    memory = -1\n  }\n}\n"
	_, err = ParseTasks([]byte(src), "t.hcl")
	require.Error(t, err)
	lines = strings.Split(err.Error(), "\n")
	require.Len(t, lines, 4, err.Error())
	for i, want := range []string{"t.hcl:2:12: Empty value", "t.hcl:4:18: Invalid kill_timeout", "t.hcl:3:17: Invalid kill_signal", "t.hcl:6:14: Invalid memory"} {
		assert.Contains(t, err.Error(), want, "line %d", i)
	}
	assert.NotContains(t, err.Error(), "other diagnostic")
}

func TestAgentFileLimits(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"deep plugin config", "plugin \"p\" {\n  config {\n    x = " + strings.Repeat("{a=", 60000) + "1" + strings.Repeat("}", 60000) + "\n  }\n}\n", "agent.hcl:3:"},
		{"deep args", "plugin \"p\" {\n  args = " + strings.Repeat("[", 500) + "\n}\n", "Nesting too deep"},
		{"too large", "# " + strings.Repeat("x", 2<<20), "agent config agent.hcl is 2.0 MiB"},
		{"request bytes", "limits {\n  max_request_bytes = 9223372036854775807\n}\n", "agent.hcl:2:23: Invalid max_request_bytes; max_request_bytes must be a whole number from 4096 to 268435456 (bytes)"},
		{"frame bytes", "limits {\n  max_exec_frame_bytes = 1\n}\n", "agent.hcl:2:26: Invalid max_exec_frame_bytes"},
		{"two limits", "limits {}\nlimits {}\n", "agent.hcl:2:1: Duplicate limits block"},
		{"start timeout", "plugin \"p\" {\n  start_task_timeout = \"0s\"\n}\n", `agent.hcl:2:24: Invalid start_task_timeout; start_task_timeout must be a duration from 1s to 24h0m0s such as "30s" or "5m", got "0s"`},
		{"stop timeout", "plugin \"p\" {\n  stop_task_timeout = \"-5s\"\n}\n", "agent.hcl:2:23: Invalid stop_task_timeout"},
		{"destroy timeout type", "plugin \"p\" {\n  destroy_task_timeout = 5\n}\n", `agent.hcl:2:26: Invalid destroy_task_timeout; destroy_task_timeout must be a duration from 1s to 24h0m0s such as "30s" or "5m", got "5"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseAgent([]byte(tc.src), "agent.hcl")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Less(t, len(err.Error()), 1000)
		})
	}
	a, err := ParseAgent([]byte("limits {\n  max_request_bytes = 65536\n}\nplugin \"p\" {\n  start_task_timeout = \"2s\"\n  stop_task_timeout = \"3s\"\n}\nplugin \"q\" {}\n"), "agent.hcl")
	require.NoError(t, err)
	assert.Equal(t, 65536, a.Limits.MaxRequestBytes)
	assert.Equal(t, DefaultMaxExecFrameBytes, a.Limits.MaxExecFrameBytes)
	assert.Equal(t, 2*time.Second, a.Plugins["p"].StartTaskTimeout)
	assert.Equal(t, 3*time.Second, a.Plugins["p"].StopTaskTimeout)
	assert.Equal(t, DefaultDestroyTaskTimeout, a.Plugins["p"].DestroyTaskTimeout)
	assert.Equal(t, DefaultStartTaskTimeout, a.Plugins["q"].StartTaskTimeout)
	a, err = ParseAgent([]byte(""), "agent.hcl")
	require.NoError(t, err)
	assert.Equal(t, DefaultMaxRequestBytes, a.Limits.MaxRequestBytes)
}

func TestReadFileLimited(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.hcl")
	require.NoError(t, os.WriteFile(p, make([]byte, 2<<20), 0o600))
	_, err := LoadAgent(p)
	require.ErrorContains(t, err, "agent config "+p+" is 2 MiB (2097152 bytes), larger than the limit of 1 MiB")
	b, err := ReadFileLimited(p, "task file", 4<<20)
	require.NoError(t, err)
	assert.Len(t, b, 2<<20)
}
