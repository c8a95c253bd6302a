package hardening

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/host"
)

// TestPluginEnvironmentIsAllowListed: a plugin sees the allow-listed host
// variables and go-plugin's, never the rest of the host's environment.
func TestPluginEnvironmentIsAllowListed(t *testing.T) {
	t.Setenv("YURT_TEST_SECRET_TOKEN", "hunter2")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "hunter3")
	t.Setenv("LC_TIME", "C")
	out := filepath.Join(shortTemp(t), "env")
	p, err := host.Launch(context.Background(), host.Options{
		Path: hostileCopy(t, "env"), Args: []string{out}, Env: []string{"EXTRA_FROM_CALLER=1"}, StartTimeout: 10 * time.Second,
	})
	require.NoError(t, err)
	t.Cleanup(p.Kill)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	env := map[string]string{}
	for _, kv := range strings.Split(string(b), "\x00") {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	assert.NotContains(t, env, "YURT_TEST_SECRET_TOKEN")
	assert.NotContains(t, env, "AWS_SECRET_ACCESS_KEY")
	assert.Equal(t, os.Getenv("PATH"), env["PATH"])
	assert.Equal(t, "C", env["LC_TIME"], "LC_* is allowed")
	assert.Equal(t, "1", env["EXTRA_FROM_CALLER"], "Options.Env is passed")
	assert.Equal(t, host.MagicCookieValue, env[host.MagicCookieKey])
	assert.NotEmpty(t, env["PLUGIN_CLIENT_CERT"], "AutoMTLS is on by default")
	for k := range env {
		if k == "" || strings.HasPrefix(k, "PLUGIN_") || k == host.MagicCookieKey || k == "EXTRA_FROM_CALLER" {
			continue
		}
		allowed := false
		for _, a := range host.PluginEnvAllowList {
			if k == a || (strings.HasSuffix(a, "*") && strings.HasPrefix(k, strings.TrimSuffix(a, "*"))) {
				allowed = true
			}
		}
		assert.True(t, allowed, "plugin got %s, which is not allow-listed", k)
	}
}

// TestAgentFilesArePrivate runs a task and checks the agent's data dir:
// every directory the agent made is 0700 and every file, FIFO and socket
// 0600; and a client of another user cannot use the API.
func TestAgentFilesArePrivate(t *testing.T) {
	t.Parallel()
	pdir := filepath.Join(shortTemp(t), "plugins")
	copyExec(t, filepath.Join(bins.examples, "go-exec"), filepath.Join(pdir, "go-exec"))
	a := newAgent(t, pdir)
	require.NoError(t, a.start(60*time.Second))
	t.Cleanup(func() { _ = a.shutdown() })
	c := a.client()
	_, err := c.Run(context.Background(), api.RunRequest{File: "p.hcl", Source: `task "p" {
  driver = "go-exec"
  config {
    command = "/bin/sh"
    args    = ["-c", "echo out; echo err >&2; exec sleep 600"]
  }
}
`})
	require.NoError(t, err)
	require.True(t, waitFor(20*time.Second, func() bool {
		tk, err := c.Task(context.Background(), "p")
		return err == nil && tk.State == api.StateRunning
	}))
	tk, _ := c.Task(context.Background(), "p")
	var checked int
	err = filepath.WalkDir(a.dataDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// Inside a task dir, the driver and the task own their files.
		if rel, _ := filepath.Rel(tk.TaskDir, path); rel != "." && !strings.HasPrefix(rel, "..") && !strings.HasPrefix(rel, "logs") {
			return nil
		}
		// The allocation directory has Nomad's modes (0755, 0777 inside, as
		// client/allocdir makes them) so that tasks can use it; <data>/alloc
		// above it stays private.
		if rel, _ := filepath.Rel(tk.AllocDir, path); tk.AllocDir != "" && !strings.HasPrefix(rel, "..") {
			return nil
		}
		info, err := os.Lstat(path)
		if err != nil {
			return err
		}
		// A plugin creates its own socket (PLUGIN_UNIX_SOCKET_DIR) with its
		// umask; what keeps others out is the 0700 <data>/sockets around it,
		// checked as a dir. Connecting needs search permission on every
		// directory of the path.
		if info.Mode().Type() == fs.ModeSocket && filepath.Dir(path) == filepath.Join(a.dataDir, "sockets") {
			return nil
		}
		perm := info.Mode().Perm()
		checked++
		if info.IsDir() {
			assert.Equal(t, fs.FileMode(0o700), perm, "dir %s", path)
		} else {
			assert.Equal(t, fs.FileMode(0o600), perm, "%s (%v)", path, info.Mode().Type())
		}
		return nil
	})
	require.NoError(t, err)
	t.Logf("checked the modes of %d agent paths", checked)
	st, err := os.Stat(a.socket())
	require.NoError(t, err)
	assert.Equal(t, fs.FileMode(0o600), st.Mode().Perm(), "API socket")

	if os.Geteuid() != 0 {
		t.Log("not root: cannot run a client as another user; skipping that part")
		return
	}
	// Another user (nobody) cannot reach the API.
	// A copy of yurt that nobody may execute (bins.dir is 0700).
	pub := shortTemp(t)
	require.NoError(t, os.Chmod(pub, 0o755))
	yurt := filepath.Join(pub, "yurt")
	copyExec(t, bins.yurt, yurt)
	require.NoError(t, os.Chmod(yurt, 0o755))
	cmd := exec.Command(yurt, "status")
	cmd.Env = []string{"YURT_ADDR=" + a.socket(), "PATH=/usr/bin:/bin"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	cmd.Dir = "/"
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, "user nobody used the agent API: %s", out)
	assert.Contains(t, string(out), "permission denied", "the CLI's error for user nobody")

	// With the modes loosened by hand, SO_PEERCRED still refuses nobody.
	require.NoError(t, os.Chmod(filepath.Dir(a.dataDir), 0o755))
	require.NoError(t, os.Chmod(a.dataDir, 0o755))
	require.NoError(t, os.Chmod(a.socket(), 0o666))
	cmd = exec.Command(yurt, "status")
	cmd.Env = []string{"YURT_ADDR=" + a.socket(), "PATH=/usr/bin:/bin"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	cmd.Dir = "/"
	out, err = cmd.CombinedOutput()
	require.ErrorAs(t, err, &ee, "user nobody used the agent API through a loosened socket: %s", out)
	assert.NotContains(t, string(out), "permission denied", "the socket mode no longer stops nobody")
	assert.Contains(t, a.log.String(), "refused a connection from uid 65534", "the agent logs the refusal")
	// And the owner still gets in.
	_, err = c.Tasks(context.Background())
	require.NoError(t, err)
}
