package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/api"
)

func runOut(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestHelpPerCommand: `yurt <cmd> -h` prints that command's flags only, with
// an example, on stdout, and exits 0.
func TestHelpPerCommand(t *testing.T) {
	own := map[string][]string{
		"logs": {"-f", "-stderr", "-json", "-address"}, "exec": {"-t", "-address"}, "stop": {"-progress", "-json"},
		"events": {"-f"}, "agent": {"-config", "-dev", "-data-dir", "-plugin-dir", "-log-level"}, "version": {"-json"},
	}
	all := []string{"-f", "-stderr", "-t", "-progress", "-config", "-dev"}
	for _, c := range commands() {
		if c.hidden {
			continue
		}
		for _, h := range []string{"-h", "--help"} {
			code, out, errs := runOut(append(strings.Fields(c.name), h)...)
			require.Equal(t, 0, code, "%s %s: %s", c.name, h, errs)
			assert.Empty(t, errs)
			assert.True(t, strings.HasPrefix(out, "usage: yurt "+c.name+" "), out)
			assert.Regexp(t, `\nExample:\n  .*yurt `+c.name, out)
			assert.Equal(t, 1, strings.Count(out, "usage:"), "the usage once")
			for _, f := range own[c.name] {
				assert.Regexp(t, `\n  `+f+`\s`, out, "%s shows its flag %s", c.name, f)
			}
			for _, f := range all {
				if !contains(own[c.name], f) {
					assert.NotRegexp(t, `\n  `+f+`\s`, out, "%s must not show %s", c.name, f)
				}
			}
		}
	}
	code, out, _ := runOut("help", "plugin", "status")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "usage: yurt plugin status [flags]")
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestTopLevelHelp: `yurt -h` lists every command once, on stdout, exit 0.
func TestTopLevelHelp(t *testing.T) {
	code, out, errs := runOut("-h")
	require.Equal(t, 0, code)
	assert.Empty(t, errs)
	assert.Equal(t, 1, strings.Count(out, "usage: yurt <command>"))
	for _, c := range commands() {
		line := "\n  " + strings.TrimSpace(c.name+" "+c.args) + " "
		if c.hidden {
			assert.NotContains(t, out, line)
			continue
		}
		assert.Equal(t, 1, strings.Count(out, line), "%q listed once", c.name)
	}
	// A usage error names the command's usage, not the whole list.
	code, _, errs = runOut("logs", "-nope")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "yurt logs: flag provided but not defined: -nope\nusage: yurt logs [flags] TASK\n")
	assert.NotContains(t, errs, "Plugins and devices")
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		code, out, _ := runOut(args...)
		require.Equal(t, 0, code, args)
		assert.Regexp(t, `^yurt \S+\ncommit: \S+`, out)
		assert.Contains(t, out, "wire: Nomad plugin API v0.1.0, go-plugin core protocol 1, app protocol 2\n")
	}
	for _, args := range [][]string{{"version", "--json"}, {"--version", "--json"}} {
		code, out, _ := runOut(args...)
		require.Equal(t, 0, code, args)
		var v struct {
			Program, Version, Commit string
			Wire                     map[string]any
		}
		require.NoError(t, json.Unmarshal([]byte(out), &v), out)
		assert.Equal(t, "yurt", v.Program)
		assert.NotEmpty(t, v.Version)
		assert.NotEmpty(t, v.Commit)
		assert.Equal(t, "v0.1.0", v.Wire["plugin_api"])
	}
}

// TestCompletion: each shell's script is produced and mentions every
// command; bash (and zsh, fish where installed) accept its syntax.
func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		code, out, errs := runOut("completion", sh)
		require.Equal(t, 0, code, errs)
		for _, c := range commands() {
			if c.hidden {
				assert.NotContains(t, out, " "+c.name+" ")
				continue
			}
			for _, w := range strings.Fields(c.name) {
				assert.Contains(t, out, w, "%s script: %s", sh, c.name)
			}
		}
		assert.Contains(t, out, "yurt status --json", "task names come from the agent")
		assert.Regexp(t, `-(o )?progress`, out, "flags are completed")
		if path, err := exec.LookPath(sh); err == nil {
			flag := "-n"
			if sh == "fish" {
				flag = "--no-execute"
			}
			cmd := exec.Command(path, flag)
			cmd.Stdin = strings.NewReader(out)
			b, err := cmd.CombinedOutput()
			assert.NoError(t, err, "%s -n: %s", sh, b)
		} else if sh == "bash" {
			t.Fatal("bash is needed to check the bash script")
		}
	}
	code, _, errs := runOut("completion", "tcsh")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `expected bash, zsh or fish, got "tcsh"`)
}

// TestErrorsWithoutRPCFraming: the CLI prints a plugin's words without
// "rpc error: code = X desc = "; --json keeps the code in a field.
func TestErrorsWithoutRPCFraming(t *testing.T) {
	err := &api.StatusError{Code: 500, Message: "start web: rpc error: code = Unknown desc = exec: \"nope\": not found"}
	assert.Equal(t, "start web: exec: \"nope\": not found", userMessage(err))
	var b bytes.Buffer
	got := writeJSONError(&b, err)
	assert.Equal(t, exitError{1}, got)
	var je jsonError
	require.NoError(t, json.Unmarshal(b.Bytes(), &je))
	assert.Equal(t, jsonError{Error: "start web: exec: \"nope\": not found", Code: "Unknown", Status: 500}, je)

	b.Reset()
	_ = writeJSONError(&b, &api.StatusError{Code: 404, Message: "no task with name or id \"x\"", RPCCode: "NotFound"})
	assert.JSONEq(t, `{"error":"no task with name or id \"x\"","code":"NotFound","status":404}`, b.String())
	b.Reset()
	assert.Equal(t, usageError{"u"}, writeJSONError(&b, usageError{"u"}))
	assert.Empty(t, b.String())
	assert.Equal(t, "plain", userMessage(errors.New("plain")))
	assert.Equal(t, "x: bad", stripRPC("x: rpc error: code = InvalidArgument desc = bad"))
}
