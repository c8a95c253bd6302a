package api

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSplitRPCError(t *testing.T) {
	for _, tc := range []struct{ in, clean, code string }{
		{"rpc error: code = Unknown desc = exec: \"nope\": executable file not found in $PATH", "exec: \"nope\": executable file not found in $PATH", "Unknown"},
		{"start web: rpc error: code = NotFound desc = no task t-1", "start web: no task t-1", "NotFound"},
		{"rpc error: code = Unknown desc = rpc error: code = InvalidArgument desc = bad", "bad", "InvalidArgument"},
		{"plain message", "plain message", ""},
	} {
		clean, code := SplitRPCError(tc.in)
		assert.Equal(t, tc.clean, clean, tc.in)
		assert.Equal(t, tc.code, code, tc.in)
	}
}
