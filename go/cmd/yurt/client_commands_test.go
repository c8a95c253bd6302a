package main

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestClientCommandsMatchTheTable: every client command function is a command
// of the CLI's table, and a name without one is a usage error, not a call.
func TestClientCommandsMatchTheTable(t *testing.T) {
	names := map[string]bool{}
	for _, c := range commands() {
		names[c.name] = true
	}
	for name := range clientCommands {
		assert.True(t, names[name], "clientCommands has %q, which the command table lacks", name)
	}
	err := clientCommand("no such", nil, clientOpts{}, io.Discard, io.Discard)
	var u usageError
	require.ErrorAs(t, err, &u)
	assert.Contains(t, err.Error(), "unknown command no such")
}
