package agent

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/api"
)

// repeatReader yields n copies of one byte without allocating them, so that
// the memory a test measures is the agent's.
type repeatReader struct {
	b byte
	n int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := int64(len(p))
	if k > r.n {
		k = r.n
	}
	for i := range p[:k] {
		p[i] = r.b
	}
	r.n -= k
	return int(k), nil
}

// body wraps n filler bytes between a prefix and a suffix.
func body(prefix string, fill byte, n int64, suffix string) io.Reader {
	return io.MultiReader(strings.NewReader(prefix), &repeatReader{b: fill, n: n}, strings.NewReader(suffix))
}

func (ta *testAgent) raw(method, path string, b io.Reader, contentLength int64) (int, string) {
	ta.t.Helper()
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", ta.socket)
	}}}
	req, err := http.NewRequest(method, "http://yurt"+path, b)
	require.NoError(ta.t, err)
	req.ContentLength = contentLength // -1: chunked, the length unknown to the agent
	resp, err := hc.Do(req)
	require.NoError(ta.t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var e api.Error
	if json.Unmarshal(out, &e) == nil && e.Error != "" {
		return resp.StatusCode, e.Error
	}
	return resp.StatusCode, string(out)
}

type httpCase struct {
	name    string
	method  string
	path    string
	body    func() io.Reader
	length  int64 // -1: unknown (chunked)
	status  int
	want    string
	maxSize int // bound on the reply; 0: 2000 bytes
}

func runHTTPCases(t *testing.T, ta *testAgent, cases []httpCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b io.Reader
			if c.body != nil {
				b = c.body()
			}
			status, out := ta.raw(c.method, c.path, b, c.length)
			assert.Equal(t, c.status, status, out)
			assert.Contains(t, out, c.want)
			max := c.maxSize
			if max == 0 {
				max = 2000
			}
			assert.Less(t, len(out), max, "the reply echoes the input")
			hostileFigures.add(1)
		})
	}
}

// TestHostileHTTP: every endpoint reads its body through the size limit
// (413 naming it), JSON and HCL nesting is checked before parsing, and no
// error reply echoes more than a short prefix of the bad input.
func TestHostileHTTP(t *testing.T) {
	ta := startTestAgent(t, "", "yurt-testproc")
	_, err := ta.run(shellTask("sleeper", "testproc", "sleep 60"))
	require.NoError(t, err)
	ta.waitState("sleeper", api.StateRunning)
	mb := int64(1 << 20)
	deepHCL := shellTask("deep", "testproc", "true", "  env = "+strings.Repeat("{a=", 60000)+"1"+strings.Repeat("}", 60000)+"\n")
	runJSON := func(src string) func() io.Reader {
		return func() io.Reader {
			b, _ := json.Marshal(api.RunRequest{File: "t.hcl", Source: src})
			return strings.NewReader(string(b))
		}
	}
	cases := []httpCase{
		{"200 MB signal body, chunked", "POST", "/v1/tasks/sleeper/signal", func() io.Reader { return body(`{"signal":"`, 'A', 200*mb, `"}`) }, -1,
			413, "signal request body is larger than the limit of 8 MiB (8388608 bytes)", 0},
		{"200 MB signal body, with length", "POST", "/v1/tasks/sleeper/signal", func() io.Reader { return body(`{"signal":"`, 'A', 200*mb, `"}`) }, 200*mb + 13,
			413, "the request body is 200.0 MiB (209715213 bytes), larger than the limit of 8 MiB", 0},
		{"9 MB run body", "POST", "/v1/tasks", func() io.Reader { return body(`{"file":"t.hcl","source":"`, '#', 9*mb, `"}`) }, -1,
			413, "run request body is larger than the limit of 8 MiB", 0},
		{"stop with a 200 MB body", "POST", "/v1/tasks/nope/stop", func() io.Reader { return body("", 'x', 200*mb, "") }, 200 * mb,
			413, "larger than the limit of 8 MiB", 0},
		{"long bad signal name", "POST", "/v1/tasks/sleeper/signal", func() io.Reader { return body(`{"signal":"`, 'A', 100000, `"}`) }, -1,
			400, `unknown signal "AAAA`, 0},
		{"signal not a string", "POST", "/v1/tasks/sleeper/signal", func() io.Reader { return strings.NewReader(`{"signal": 1e999999}`) }, -1,
			400, "signal request: json: cannot unmarshal number", 0},
		{"signal body deep JSON", "POST", "/v1/tasks/sleeper/signal", func() io.Reader { return body("", '[', 60000, "") }, -1,
			400, "nesting deeper than the limit of 100", 0},
		{"signal body two values", "POST", "/v1/tasks/sleeper/signal", func() io.Reader { return strings.NewReader(`{"signal":"TERM"} {}`) }, -1,
			400, "invalid character", 0},
		{"signal body not JSON", "POST", "/v1/tasks/sleeper/signal", func() io.Reader { return strings.NewReader(`signal=TERM`) }, -1,
			400, "signal request: not valid JSON at byte 1", 0},
		{"run body deep JSON", "POST", "/v1/tasks", func() io.Reader { return body(`{"file":`, '{', 60000, "") }, -1,
			400, "run request:1:", 0},
		{"run deep HCL", "POST", "/v1/tasks", runJSON(deepHCL), -1,
			400, "t.hcl:8:", 0},
		{"run deep HCL names the limit", "POST", "/v1/tasks", runJSON(deepHCL), -1,
			400, "Nesting too deep; this file nests deeper than the limit of 100 levels", 0},
		{"run 2 MiB task file", "POST", "/v1/tasks", runJSON("# " + strings.Repeat("x", 2<<20)), -1,
			400, "task file t.hcl is 2.0 MiB (2097154 bytes), larger than the limit of 1 MiB", 0},
		{"run overflowing numbers", "POST", "/v1/tasks", runJSON(shellTask("num", "testproc", "true", "  resources {\n    memory = 9223372036854775807\n  }\n  logs {\n    max_file_size = 9223372036854775807\n  }\n")), -1,
			400, "t.hcl:9:14: Invalid memory; memory must be a whole number from 0 to 16777216 (MB), got 9223372036854775807\nt.hcl:12:21: Invalid max_file_size", 0},
		{"run long file name", "POST", "/v1/tasks", func() io.Reader { return body(`{"file":"`, 'f', 100000, `","source":""}`) }, -1,
			400, "the file name is 100000 bytes, longer than the limit of 4096", 0},
		{"long task reference", "GET", "/v1/tasks/" + strings.Repeat("r", 100000), nil, 0,
			404, `no task with name or id "rrrr`, 0},
		{"long logs stream name", "GET", "/v1/tasks/sleeper/logs?stream=" + strings.Repeat("s", 100000), nil, 0,
			400, "stream must be stdout or stderr", 0},
		{"unknown endpoint", "POST", "/v1/nope", func() io.Reader { return body("", 'x', 10*mb, "") }, -1,
			404, "404 page not found", 0},
	}
	runHTTPCases(t, ta, cases)
	// The agent still works.
	require.NoError(t, ta.c.Signal(context.Background(), "sleeper", "SIGCONT"))
	_, err = ta.c.Stop(context.Background(), "sleeper")
	require.NoError(t, err)
}

// TestHostileExecFrames: an exec frame past the limit ends the session
// with an error naming the limit; normal frames work.
func TestHostileExecFrames(t *testing.T) {
	ta := startTestAgent(t, "limits {\n  max_exec_frame_bytes = 65536\n}\n", "yurt-testproc")
	_, err := ta.run(shellTask("sleeper", "testproc", "sleep 60"))
	require.NoError(t, err)
	ta.waitState("sleeper", api.StateRunning)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// A normal session: cat echoes stdin.
	s, err := ta.c.Exec(ctx, "sleeper", api.ExecRequest{Command: []string{"/bin/cat"}})
	require.NoError(t, err)
	require.NoError(t, s.Send(api.ExecInput{Stdin: []byte("hello\n")}))
	require.NoError(t, s.Send(api.ExecInput{Close: true}))
	var got strings.Builder
	for {
		o, err := s.Recv()
		require.NoError(t, err)
		got.Write(o.Stdout)
		if o.Exited {
			assert.Equal(t, 0, o.ExitCode)
			break
		}
	}
	s.Close()
	assert.Equal(t, "hello\n", got.String())
	hostileFigures.add(1)

	// A 1 MiB stdin frame, past the 64 KiB limit.
	s, err = ta.c.Exec(ctx, "sleeper", api.ExecRequest{Command: []string{"/bin/cat"}})
	require.NoError(t, err)
	_ = s.Send(api.ExecInput{Stdin: make([]byte, 1<<20)}) // the agent may hang up before it is all sent
	var errMsg string
	for {
		o, err := s.Recv()
		if err != nil {
			break
		}
		if o.Error != "" {
			errMsg = o.Error
		}
		if o.Exited {
			break
		}
	}
	s.Close()
	assert.Contains(t, errMsg, "exec input frame is larger than the limit of 64 KiB (65536 bytes)")
	hostileFigures.add(1)

	// A first frame with no newline and no end, past the limit.
	conn, err := net.Dial("unix", ta.socket)
	require.NoError(t, err)
	defer conn.Close()
	fmt.Fprintf(conn, "POST /v1/tasks/sleeper/exec HTTP/1.1\r\nHost: yurt\r\nConnection: Upgrade\r\nUpgrade: %s\r\n\r\n", api.ExecUpgrade)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	require.Equal(t, 101, resp.StatusCode)
	go func() { _, _ = io.Copy(conn, &repeatReader{b: '[', n: 10 << 20}) }()
	var o api.ExecOutput
	require.NoError(t, json.NewDecoder(br).Decode(&o))
	assert.True(t, o.Exited)
	assert.Contains(t, o.Error, "exec request is larger than the limit of 64 KiB")
	hostileFigures.add(1)
}
