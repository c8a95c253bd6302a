package main

import (
	"bytes"
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseInterleaved(t *testing.T) {
	cases := []struct {
		args []string
		pos  []string
		tty  bool
		json bool
	}{
		{[]string{"web", "--json"}, []string{"web"}, false, true},
		{[]string{"--json", "web"}, []string{"web"}, false, true},
		{[]string{"-t", "web", "--", "sh", "-c", "--json"}, []string{"web", "sh", "-c", "--json"}, true, false},
		{[]string{"web", "-t", "--", "ls"}, []string{"web", "ls"}, true, false},
		{[]string{"--", "-t"}, []string{"-t"}, false, false},
		{nil, nil, false, false},
	}
	for _, tc := range cases {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		tty := fs.Bool("t", false, "")
		js := fs.Bool("json", false, "")
		pos, err := parseInterleaved(fs, tc.args)
		require.NoError(t, err, tc.args)
		assert.Equal(t, tc.pos, pos, tc.args)
		assert.Equal(t, tc.tty, *tty, tc.args)
		assert.Equal(t, tc.json, *js, tc.args)
	}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(&bytes.Buffer{})
	_, err := parseInterleaved(fs, []string{"web", "-nope"})
	assert.ErrorContains(t, err, "flag provided but not defined: -nope")
}

func TestUsageErrors(t *testing.T) {
	var out, errb bytes.Buffer
	assert.Equal(t, 2, run(nil, &out, &errb))
	assert.Equal(t, 2, run([]string{"frobnicate"}, &out, &errb))
	assert.Contains(t, errb.String(), `unknown command "frobnicate"`)
	errb.Reset()
	assert.Equal(t, 2, run([]string{"logs"}, &out, &errb))
	assert.Contains(t, errb.String(), "yurt logs: wrong number of arguments (0)")
	errb.Reset()
	assert.Equal(t, 2, run([]string{"plugin", "list"}, &out, &errb))
	assert.Contains(t, errb.String(), "expected `yurt plugin status`")
	errb.Reset()
	assert.Equal(t, 2, run([]string{"agent"}, &out, &errb))
	assert.Contains(t, errb.String(), "yurt agent needs -config FILE or -dev")
	errb.Reset()
	t.Setenv("YURT_ADDR", "/nonexistent/yurt.sock")
	assert.Equal(t, 1, run([]string{"status"}, &out, &errb))
	assert.Contains(t, errb.String(), "cannot reach the yurt agent at /nonexistent/yurt.sock")
}
