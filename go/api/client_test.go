package api

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func serve(t *testing.T, h http.HandlerFunc) *Client {
	dir, err := os.MkdirTemp("", "api")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "s")
	ln, err := net.Listen("unix", sock)
	require.NoError(t, err)
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return NewClient(sock)
}

func TestErrors(t *testing.T) {
	c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/tasks/missing":
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":"no task with name or id \"missing\""}`))
		case "/v1/tasks/garbage":
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte("upstream exploded\n"))
		case "/v1/tasks/badjson":
			w.Write([]byte("{"))
		}
	})
	ctx := context.Background()
	_, err := c.Task(ctx, "missing")
	require.Error(t, err)
	assert.Equal(t, `no task with name or id "missing"`, err.Error())
	assert.True(t, IsNotFound(err))

	_, err = c.Task(ctx, "garbage")
	assert.EqualError(t, err, "agent answered 502 Bad Gateway: upstream exploded")
	assert.False(t, IsNotFound(err))

	_, err = c.Task(ctx, "badjson")
	assert.ErrorContains(t, err, "agent answer to GET /v1/tasks/badjson")

	_, err = NewClient("/nonexistent/sock").Tasks(ctx)
	assert.ErrorContains(t, err, "cannot reach the yurt agent at /nonexistent/sock")
}

func TestLogFramesAndPathEscaping(t *testing.T) {
	var gotPath, gotQuery string
	c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotQuery = r.URL.EscapedPath(), r.URL.RawQuery
		w.Write([]byte(`{"data":"aGVsbG8K","index":0,"offset":6}` + "\n" + `{"data":"Ynll","index":1,"offset":3}` + "\n"))
	})
	var frames []LogFrame
	err := c.Logs(context.Background(), "a/b c", "stderr", true, &LogFrame{Index: 2, Offset: 7}, func(f LogFrame) error {
		frames = append(frames, f)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, "/v1/tasks/a%2Fb%20c/logs", gotPath)
	assert.Equal(t, "follow=true&index=2&offset=7&stream=stderr", gotQuery)
	require.Len(t, frames, 2)
	assert.Equal(t, "hello\n", string(frames[0].Data))
	assert.Equal(t, LogFrame{Data: []byte("bye"), Index: 1, Offset: 3}, frames[1])
}

func TestTerminal(t *testing.T) {
	for s, want := range map[string]bool{StateRunning: false, StatePending: false, StateStopping: false, StateExited: true, StateFailed: true, StateLost: true} {
		assert.Equal(t, want, Task{State: s}.Terminal(), s)
	}
}

// TestUnreachableVersusInterrupted: no agent on the socket is "cannot
// reach"; an agent that takes the request and does not answer before the
// caller gives up is "interrupted", with a hint that it may still act.
func TestUnreachableVersusInterrupted(t *testing.T) {
	_, err := NewClient(filepath.Join(t.TempDir(), "none.sock")).Tasks(context.Background())
	var ue *UnreachableError
	require.ErrorAs(t, err, &ue)
	assert.Contains(t, err.Error(), "cannot reach the yurt agent at")

	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	c := serve(t, func(w http.ResponseWriter, r *http.Request) { <-release })
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = c.Run(ctx, RunRequest{Source: "x"})
	var ie *InterruptedError
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, err.Error(), "the yurt agent received POST /v1/tasks but its answer did not arrive (interrupted: context deadline exceeded)")
	assert.NotContains(t, err.Error(), "cannot reach")

	// The agent hangs up without answering.
	c = serve(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	})
	_, err = c.Stop(context.Background(), "x")
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, err.Error(), "POST /v1/tasks/x/stop")
}
