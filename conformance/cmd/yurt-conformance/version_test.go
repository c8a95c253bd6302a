package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVersion(t *testing.T) {
	var out, errb bytes.Buffer
	require.Equal(t, 0, run([]string{"--version"}, &out, &errb), errb.String())
	assert.Regexp(t, `^yurt-conformance \S+\ncommit: \S+`, out.String())
	assert.Contains(t, out.String(), "wire: Nomad plugin API v0.1.0, go-plugin core protocol 1, app protocol 2\n")

	out.Reset()
	require.Equal(t, 0, run([]string{"-version", "--json"}, &out, &errb), errb.String())
	var v map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &v), out.String())
	assert.Equal(t, "yurt-conformance", v["program"])
	assert.NotEmpty(t, v["commit"])
	assert.Equal(t, map[string]any{"plugin_api": "v0.1.0", "go_plugin_core": 1.0, "go_plugin_app": 2.0}, v["wire"])

	out.Reset()
	errb.Reset()
	assert.Equal(t, 0, run([]string{"-h"}, &out, &errb))
	assert.Contains(t, errb.String(), "-version")
}
