package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/api"
)

// TestStopProgress: `yurt stop --progress` reports on stderr each second
// while it waits for a task that ignores its kill signal; without the flag
// (stderr not a terminal) it stays quiet.
func TestStopProgress(t *testing.T) {
	t.Parallel()
	a := startAgent(t)
	file := writeFile(t, "stubborn.hcl", shellTask("stubborn", `trap "" TERM; while :; do sleep 0.1; done`, "")+
		shellTask("quiet", `trap "" TERM; while :; do sleep 0.1; done`, ""))
	a.mustYurt("run", file)
	a.waitState("stubborn", api.StateRunning)
	a.waitState("quiet", api.StateRunning)
	r := a.yurt("stop", "--progress", "stubborn")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "waiting for exit, 1s of kill_timeout 3s\n")
	assert.Contains(t, r.stderr, "waiting for exit, 2s of kill_timeout 3s\n")
	assert.Contains(t, r.stdout, "stubborn")
	r = a.yurt("stop", "quiet")
	require.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "waiting for exit")
}

// TestErrorsFromTheAgent: errors print without gRPC framing; with --json
// they are a JSON object on stdout holding the code and HTTP status.
func TestErrorsFromTheAgent(t *testing.T) {
	t.Parallel()
	a := startAgent(t)
	r := a.yurt("status", "nope", "--json")
	assert.Equal(t, 1, r.code)
	var je jsonError
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &je), r.stdout)
	assert.Equal(t, `no task with name or id "nope"`, je.Error)
	assert.Equal(t, 404, je.Status)

	file := writeFile(t, "bad.hcl", `task "bad" {
  driver = "testproc"
  config {
    command = "/nonexistent/command"
  }
}
`)
	r = a.yurt("run", file)
	assert.Equal(t, 1, r.code)
	a.waitState("bad", api.StateFailed)
	r = a.yurt("signal", "bad", "SIGHUP")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "yurt signal: task bad is failed\n", r.stderr)
	r = a.yurt("signal", "bad", "SIGHUP", "--json")
	assert.Equal(t, 1, r.code)
	assert.JSONEq(t, `{"error": "task bad is failed", "status": 409}`, r.stdout)
	for _, out := range []string{a.mustYurt("status", "bad"), a.mustYurt("status")} {
		assert.Contains(t, out, `could not start: command "/nonexistent/command": no such file or directory`)
		assert.NotContains(t, out, "rpc error")
	}
}
