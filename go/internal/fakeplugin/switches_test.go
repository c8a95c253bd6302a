package main

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSwitchTableMatchesCode: the doc's fault-switch table names exactly the
// switches the code reads, so the table is the complete list.
func TestSwitchTableMatchesCode(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	used := map[string]bool{}
	call := regexp.MustCompile(`fault\("([a-z0-9-]+)"\)`)
	for _, f := range files {
		if f == "switches_test.go" {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	require.NotEmpty(t, used)
	assert.Equal(t, sortedKeys(used), sortedKeys(knownSwitches()))
	names := sortedKeys(knownSwitches())
	assert.True(t, sort.StringsAreSorted(names))
}

func TestParseSwitches(t *testing.T) {
	defer func() { faults = map[string]bool{} }()
	require.NoError(t, parseSwitches("stop-noop, bad-logs", "", "wait-once"))
	assert.True(t, fault("stop-noop") && fault("bad-logs") && fault("wait-once"))
	assert.False(t, fault("stop-kill-first"))
	err := parseSwitches("stop-noop,no-such-switch")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `fault switch "no-such-switch": expected one of accept-malformed, `)
}
