package allocdir_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/host/allocdir"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

func TestBuildMakesNomadLayout(t *testing.T) {
	root := t.TempDir()
	id := allocdir.NewAllocID()
	a, err := allocdir.Build(root, id, "web")
	require.NoError(t, err)

	dir := filepath.Join(root, id)
	assert.Equal(t, dir, a.Dir)
	assert.Equal(t, filepath.Join(dir, "web"), a.TaskDir)
	assert.Equal(t, filepath.Join(dir, "alloc", "logs", ".web.stdout.fifo"), a.StdoutFIFO)
	assert.Equal(t, filepath.Join(dir, "alloc", "logs", ".web.stderr.fifo"), a.StderrFIFO)
	assert.Equal(t, filepath.Join(dir, "web", "local"), a.LocalDir)
	assert.Equal(t, filepath.Join(dir, "web", "secrets"), a.SecretsDir)

	want := map[string]os.FileMode{
		"":            os.ModeDir | 0o755,
		"alloc":       os.ModeDir | 0o777,
		"alloc/logs":  os.ModeDir | 0o777,
		"alloc/tmp":   os.ModeDir | 0o777,
		"alloc/data":  os.ModeDir | 0o777,
		"web":         os.ModeDir | 0o777,
		"web/local":   os.ModeDir | 0o777,
		"web/secrets": os.ModeDir | 0o777,
		"web/private": os.ModeDir | 0o777,
		"web/tmp":     os.ModeDir | os.ModeSticky | 0o777,
	}
	for rel, mode := range want {
		fi, err := os.Stat(filepath.Join(dir, rel))
		require.NoError(t, err, rel)
		assert.Equal(t, mode, fi.Mode(), "mode of %q", rel)
		if os.Geteuid() == 0 && rel != "" {
			assert.NotEqual(t, uint32(0), fi.Sys().(*syscall.Stat_t).Uid, "%q is owned by nobody when root", rel)
		}
	}

	// A second task of the same allocation shares alloc/ and gets its own dir.
	b, err := allocdir.Build(root, id, "db")
	require.NoError(t, err)
	assert.Equal(t, a.SharedDir, b.SharedDir)
	assert.DirExists(t, filepath.Join(dir, "db", "local"))
	// Building again keeps files.
	require.NoError(t, os.WriteFile(filepath.Join(a.LocalDir, "keep"), []byte("x"), 0o600))
	_, err = allocdir.Build(root, id, "web")
	require.NoError(t, err)
	assert.FileExists(t, filepath.Join(a.LocalDir, "keep"))

	require.NoError(t, a.Destroy())
	assert.NoDirExists(t, dir)
}

func TestBuildRejectsBadNames(t *testing.T) {
	root := t.TempDir()
	for _, c := range []struct{ root, alloc, task, want string }{
		{"rel", "a", "t", "root: expected an absolute path"},
		{root, "", "t", "alloc id: expected a non-empty name"},
		{root, "a/b", "t", "alloc id: expected no '/'"},
		{root, "..", "t", "alloc id: expected a name usable as a directory"},
		{root, "a", "", "task name: expected a non-empty name"},
		{root, "a", "x/y", "task name: expected no '/'"},
		{root, "a", "alloc", "shared directory"},
	} {
		_, err := allocdir.Build(c.root, c.alloc, c.task)
		require.Error(t, err, "%+v", c)
		assert.Contains(t, err.Error(), c.want)
	}
	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing is created for a rejected name")
}

func TestIDs(t *testing.T) {
	id := allocdir.NewAllocID()
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`), id)
	assert.NotEqual(t, id, allocdir.NewAllocID())

	tid := allocdir.NewTaskID(id, "web")
	assert.Regexp(t, regexp.MustCompile(`^`+id+`/web/[0-9a-f]{8}$`), tid)
	assert.NotEqual(t, tid, allocdir.NewTaskID(id, "web"), "a new invocation id per start")
	a, n, inv, err := allocdir.ParseTaskID(tid)
	require.NoError(t, err)
	assert.Equal(t, []string{id, "web", tid[len(tid)-8:]}, []string{a, n, inv})
	_, _, _, err = allocdir.ParseTaskID("web-1234")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `expected "<alloc id>/<task name>/<8 hex>", got "web-1234"`)
}

func TestTaskEnv(t *testing.T) {
	a, err := allocdir.Paths("/data/alloc", "0b3c7d2e-1111-2222-3333-444455556666", "web")
	require.NoError(t, err)
	in := allocdir.EnvInput{
		Alloc: a, FSIsolation: driver.FSIsolationNone,
		JobID: "job1", JobName: "Job One", GroupName: "grp", Namespace: "default", Region: "global", Datacenter: "dc1",
		CPULimitMHz: 500, MemoryLimitMB: 256,
		Meta:      map[string]string{"owner": "ops", "a-b": "x"},
		TaskEnv:   map[string]string{"FOO": "bar", "NOMAD_REGION": "mine"},
		DeviceEnv: map[string]string{"FOO": "device", "DEV": "1"},
	}
	env := allocdir.TaskEnv(in)
	want := map[string]string{
		"NOMAD_ALLOC_DIR":      "/data/alloc/0b3c7d2e-1111-2222-3333-444455556666/alloc",
		"NOMAD_TASK_DIR":       "/data/alloc/0b3c7d2e-1111-2222-3333-444455556666/web/local",
		"NOMAD_SECRETS_DIR":    "/data/alloc/0b3c7d2e-1111-2222-3333-444455556666/web/secrets",
		"NOMAD_ALLOC_ID":       "0b3c7d2e-1111-2222-3333-444455556666",
		"NOMAD_SHORT_ALLOC_ID": "0b3c7d2e",
		"NOMAD_ALLOC_NAME":     "job1.grp[0]",
		"NOMAD_ALLOC_INDEX":    "0",
		"NOMAD_TASK_NAME":      "web",
		"NOMAD_GROUP_NAME":     "grp",
		"NOMAD_JOB_ID":         "job1",
		"NOMAD_JOB_NAME":       "Job One",
		"NOMAD_NAMESPACE":      "default",
		"NOMAD_REGION":         "mine", // the task's env is on top
		"NOMAD_DC":             "dc1",
		"NOMAD_CPU_LIMIT":      "500",
		"NOMAD_MEMORY_LIMIT":   "256",
		"NOMAD_META_owner":     "ops",
		"NOMAD_META_OWNER":     "ops",
		"NOMAD_META_a_b":       "x",
		"NOMAD_META_A_B":       "x",
		"FOO":                  "device", // the device hook runs after the task env
		"DEV":                  "1",
	}
	assert.Equal(t, want, env)

	in.FSIsolation = driver.FSIsolationChroot
	env = allocdir.TaskEnv(in)
	assert.Equal(t, "/alloc", env["NOMAD_ALLOC_DIR"])
	assert.Equal(t, "/local", env["NOMAD_TASK_DIR"])
	assert.Equal(t, "/secrets", env["NOMAD_SECRETS_DIR"])

	in.MemoryMaxMB, in.CPUCores, in.JobParentID = 512, "0-1", "parent"
	env = allocdir.TaskEnv(in)
	assert.Equal(t, "512", env["NOMAD_MEMORY_MAX_LIMIT"])
	assert.Equal(t, "0-1", env["NOMAD_CPU_CORES"])
	assert.Equal(t, "parent", env["NOMAD_JOB_PARENT_ID"])
	for k := range env {
		assert.False(t, strings.ContainsAny(k, "-= "), "clean name %q", k)
	}
}

func TestApply(t *testing.T) {
	a, err := allocdir.Paths("/r", "al", "web")
	require.NoError(t, err)
	cfg := &driver.TaskConfig{}
	a.Apply(cfg)
	assert.Regexp(t, `^al/web/[0-9a-f]{8}$`, cfg.ID)
	assert.Equal(t, []string{"web", "al", "/r/al", "/r/al/alloc/logs/.web.stdout.fifo", "/r/al/alloc/logs/.web.stderr.fifo"},
		[]string{cfg.Name, cfg.AllocID, cfg.AllocDir, cfg.StdoutPath, cfg.StderrPath})
	cfg.ID = "kept"
	a.Apply(cfg)
	assert.Equal(t, "kept", cfg.ID)
}
