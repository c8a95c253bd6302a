package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCLI runs the real yurt binary with no agent behind YURT_ADDR: every
// case here must be refused before the CLI would contact one.
func runCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bins.yurt, args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "YURT_ADDR=/nonexistent/yurt.sock")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return code, out.String()
}

// TestCLIHostileFiles: task and agent files that used to crash the CLI (a
// Go stack overflow, fatal) or make it use hundreds of MB are refused with
// an error naming the limit and the place.
func TestCLIHostileFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	deepTask := "task \"x\" {\n  driver = \"testproc\"\n  config {\n    command = \"/bin/true\"\n    args = " +
		strings.Repeat("[", 60000) + strings.Repeat("]", 60000) + "\n  }\n}\n"
	deepAgent := "plugin \"yurt-testproc\" {\n  config {\n    label = " + strings.Repeat("[", 60000) + strings.Repeat("]", 60000) + "\n  }\n}\n"
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(src), 0o600))
		return p
	}
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"deep task file", []string{"run", write("deep.hcl", deepTask)},
			[]string{"deep.hcl:5:", "Nesting too deep", "limit of 100 levels"}},
		{"4 MB task file", []string{"run", write("big.hcl", "# "+strings.Repeat("x", 4<<20)+"\n")},
			[]string{"big.hcl is 4.0 MiB (4194307 bytes), larger than the limit of 1 MiB (1048576 bytes)"}},
		{"overflowing numbers", []string{"run", write("num.hcl", "task \"x\" {\n  driver = \"testproc\"\n  logs {\n    max_file_size = 9223372036854775807\n  }\n  resources {\n    memory = 9223372036854775807\n  }\n}\n")},
			[]string{"num.hcl:4:21: Invalid max_file_size; max_file_size must be a whole number from 1 to 1048576 (MB), got 9223372036854775807",
				"num.hcl:7:14: Invalid memory; memory must be a whole number from 0 to 16777216 (MB), got 9223372036854775807"}},
		{"deep agent config", []string{"agent", "-config", write("agent.hcl", deepAgent)},
			[]string{"agent.hcl:3:", "Nesting too deep"}},
		{"huge agent config", []string{"agent", "-config", write("bigagent.hcl", "# "+strings.Repeat("x", 2<<20)+"\n")},
			[]string{"agent config " + filepath.Join(dir, "bigagent.hcl") + " is 2.0 MiB", "larger than the limit of 1 MiB"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out := runCLI(t, tc.args...)
			assert.Equal(t, 1, code, out)
			for _, w := range tc.want {
				assert.Contains(t, out, w)
			}
			assert.NotContains(t, out, "goroutine ")
			assert.Less(t, len(out), 4000, "the error does not echo the file")
		})
	}
}

// maxRSS runs the CLI and returns its peak RSS in bytes.
func maxRSS(t *testing.T, args ...string) int64 {
	t.Helper()
	cmd := exec.Command(bins.yurt, args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "YURT_ADDR=/nonexistent/yurt.sock")
	_ = cmd.Run()
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	require.True(t, ok)
	return ru.Maxrss << 10
}

// TestCLIMemoryLargestFile: `yurt run` parses the largest accepted task
// file (1 MiB, about 5000 tokens) locally before it contacts the agent;
// its peak RSS over that of a tiny file is reported and bounded.
func TestCLIMemoryLargestFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	head := "task \"big\" {\n  driver = \"testproc\"\n  config {\n    command = \"/bin/sh\"\n    args = [\"-c\", \"exit 0\", " + strings.Repeat("\"a\", ", 1200) + "]\n  }\n}\n"
	big := head + "# " + strings.Repeat("x", 1<<20-len(head)-100) + "\n"
	bigFile, tiny := filepath.Join(dir, "big.hcl"), filepath.Join(dir, "tiny.hcl")
	require.NoError(t, os.WriteFile(bigFile, []byte(big), 0o600))
	require.NoError(t, os.WriteFile(tiny, []byte("task \"t\" {\n  driver = \"testproc\"\n}\n"), 0o600))
	base := maxRSS(t, "run", tiny)
	peak := maxRSS(t, "run", bigFile)
	ratio := float64(peak-base) / float64(len(big))
	t.Logf("yurt run: peak RSS %.1f MiB for a tiny file, %.1f MiB for %d bytes: %.1fx the input over the baseline",
		float64(base)/(1<<20), float64(peak)/(1<<20), len(big), ratio)
	fmt.Fprintf(os.Stderr, "hostile-figures: cli-baseline-bytes=%d cli-peak-bytes=%d ratio=%.1f\n", base, peak, ratio)
	assert.Less(t, ratio, 16.0)
}
