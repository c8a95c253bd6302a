package agent

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/yurt-sdk/yurt/go/api"
)

// TestWriteErrSplitsRPCFraming: a plugin's gRPC error reaches API clients
// as its own words, with the gRPC code in its own field.
func TestWriteErrSplitsRPCFraming(t *testing.T) {
	rec := httptest.NewRecorder()
	writeErr(rec, http.StatusInternalServerError, fmt.Errorf("stop web: %w", status.Error(codes.FailedPrecondition, "task is gone")))
	var e api.Error
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e))
	assert.Equal(t, api.Error{Error: "stop web: task is gone", Code: "FailedPrecondition"}, e)

	rec = httptest.NewRecorder()
	writeErr(rec, http.StatusNotFound, fmt.Errorf("no task %q", "x"))
	assert.JSONEq(t, `{"error": "no task \"x\""}`, rec.Body.String())
}
