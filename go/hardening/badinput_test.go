package hardening

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/state"
)

// TestBadInput sends malformed API requests, task files and plugin
// configuration to a running agent: each gets a 4xx (or a failed CLI)
// whose message names the field and the expected form, the agent stays
// up, and no task is half-created (nothing stored for a refused file).
func TestBadInput(t *testing.T) {
	t.Parallel()
	pdir := filepath.Join(shortTemp(t), "plugins")
	copyExec(t, filepath.Join(bins.examples, "go-exec"), filepath.Join(pdir, "go-exec"))
	a := newAgent(t, pdir)
	require.NoError(t, a.start(60*time.Second))
	t.Cleanup(func() { _ = a.shutdown() })
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", a.socket())
	}}}
	good := "task \"ok\" {\n  driver = \"go-exec\"\n  config {\n    command = \"/bin/true\"\n  }\n}\n"
	runBody := func(src string) string {
		b, _ := json.Marshal(api.RunRequest{File: "bad.hcl", Source: src})
		return string(b)
	}
	cases := []struct {
		name, method, path, body string
		want                     []string // all must be in the error
	}{
		{"run: not JSON", "POST", "/v1/tasks", "{not json", []string{"run request"}},
		{"run: source is a number", "POST", "/v1/tasks", `{"file":"x.hcl","source":5}`, []string{"source"}},
		{"run: empty source", "POST", "/v1/tasks", `{"file":"x.hcl","source":""}`, []string{"task"}},
		{"run: HCL syntax", "POST", "/v1/tasks", runBody("task \"a\" {"), []string{"bad.hcl"}},
		{"run: missing driver", "POST", "/v1/tasks", runBody("task \"a\" {\n}\n"), []string{"bad.hcl", "driver"}},
		{"run: unknown driver", "POST", "/v1/tasks", runBody(strings.Replace(good, "go-exec", "nope", 1)), []string{"nope", "go-exec"}},
		{"run: config missing command", "POST", "/v1/tasks", runBody("task \"a\" {\n  driver = \"go-exec\"\n  config {\n  }\n}\n"), []string{"command"}},
		{"run: config args not a list", "POST", "/v1/tasks", runBody("task \"a\" {\n  driver = \"go-exec\"\n  config {\n    command = \"/bin/true\"\n    args = 5\n  }\n}\n"), []string{"args", "list"}},
		{"run: config unknown field", "POST", "/v1/tasks", runBody("task \"a\" {\n  driver = \"go-exec\"\n  config {\n    command = \"/bin/true\"\n    comand = \"x\"\n  }\n}\n"), []string{"comand"}},
		{"run: bad kill_timeout", "POST", "/v1/tasks", runBody(strings.Replace(good, "  config", "  kill_timeout = \"soon\"\n  config", 1)), []string{"kill_timeout"}},
		{"run: bad kill_signal", "POST", "/v1/tasks", runBody(strings.Replace(good, "  config", "  kill_signal = \"SIGNOPE\"\n  config", 1)), []string{"SIGNOPE"}},
		{"run: negative memory", "POST", "/v1/tasks", runBody(strings.Replace(good, "  config", "  resources {\n    memory = -5\n  }\n  config", 1)), []string{"memory"}},
		{"run: second file valid, first task bad", "POST", "/v1/tasks", runBody(good + "task \"b\" {\n  driver = 7\n}\n"), []string{"driver"}},
		{"signal: bad name", "POST", "/v1/tasks/nosuch/signal", `{"signal":"SIGNOPE"}`, []string{"nosuch"}},
		{"task: unknown", "GET", "/v1/tasks/nosuch", "", []string{"nosuch"}},
	}
	for _, c := range cases {
		req, err := http.NewRequest(c.method, "http://yurt"+c.path, bytes.NewBufferString(c.body))
		require.NoError(t, err)
		resp, err := hc.Do(req)
		require.NoError(t, err, c.name)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.GreaterOrEqual(t, resp.StatusCode, 400, "%s: %s", c.name, b)
		assert.Less(t, resp.StatusCode, 500, "%s: a client mistake is a 4xx: %s", c.name, b)
		var e api.Error
		if assert.NoError(t, json.Unmarshal(b, &e), "%s: error body is JSON: %s", c.name, b) {
			for _, w := range c.want {
				assert.Contains(t, e.Error, w, c.name)
			}
		}
		t.Logf("%-36s %d %s", c.name, resp.StatusCode, firstLine(e.Error))
	}
	// Nothing was started or stored by the refused requests.
	list, err := a.client().Tasks(context.Background())
	require.NoError(t, err)
	assert.Empty(t, list, "refused task files must leave no task behind")

	// The CLI refuses a bad task file before it reaches the agent.
	bad := filepath.Join(shortTemp(t), "bad.hcl")
	require.NoError(t, os.WriteFile(bad, []byte("task \"x\" {\n  driver = \"go-exec\"\n  kill_timeout = 5\n}\n"), 0o600))
	cmd := exec.Command(bins.yurt, "run", bad)
	cmd.Env = append(os.Environ(), "YURT_ADDR="+a.socket())
	out, err := cmd.CombinedOutput()
	require.Error(t, err)
	assert.Contains(t, string(out), "bad.hcl:3", "the CLI names the file and line")
	assert.Contains(t, string(out), "kill_timeout")
	require.True(t, a.alive())

	// The agent is stopped now; the state store holds no trace of them.
	require.NoError(t, a.shutdown())
	s, err := state.Open(a.dataDir)
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.View(func(tx *state.Tx) error {
		specs, err := tx.Specs()
		assert.Empty(t, specs)
		return err
	}))
}

// TestBadPluginConfig: a plugin block whose config does not fit the
// plugin's schema stops the agent with an error naming the field.
func TestBadPluginConfig(t *testing.T) {
	t.Parallel()
	base := shortTemp(t)
	pdir := filepath.Join(base, "plugins")
	copyExec(t, filepath.Join(bins.examples, "go-exec"), filepath.Join(pdir, "go-exec"))
	for _, c := range []struct{ name, body, want string }{
		{"wrong type", "plugin \"go-exec\" {\n  config {\n    start_timeout = [1]\n  }\n}\n", "start_timeout"},
		{"unknown field", "plugin \"go-exec\" {\n  config {\n    no_such_option = true\n  }\n}\n", "no_such_option"},
		{"agent file syntax", "plugin \"go-exec\" {\n", "agent.hcl"},
		{"data_dir not a string", "data_dir = [\"a\"]\n", "data_dir"},
		{"missing plugin file", "plugin \"ghost\" {}\n", "ghost"},
	} {
		cfg := filepath.Join(base, "agent.hcl")
		require.NoError(t, os.WriteFile(cfg, []byte(c.body), 0o600))
		cmd := exec.Command(bins.yurt, "agent", "-config", cfg, "-data-dir", filepath.Join(base, "d-"+strings.ReplaceAll(c.name, " ", "-")), "-plugin-dir", pdir)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		cmd = exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
		out, err := cmd.CombinedOutput()
		cancel()
		require.Error(t, err, "%s: the agent must refuse to start:\n%s", c.name, out)
		assert.Contains(t, string(out), c.want, c.name)
		assert.NotContains(t, string(out), "panic", c.name)
		t.Logf("%-22s %s", c.name, lastLines(string(out), 1))
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func lastLines(s string, n int) string {
	ls := strings.Split(strings.TrimSpace(s), "\n")
	if len(ls) > n {
		ls = ls[len(ls)-n:]
	}
	return strings.Join(ls, "\n")
}
