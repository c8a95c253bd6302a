package conformance

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// nomadAlloc is one allocation directory laid out as Nomad's client lays it
// out (client/allocdir/alloc_dir.go, task_dir.go in hashicorp/nomad v2.0.5):
//
//	<dir>/alloc/{logs,tmp,data}             shared by the allocation's tasks
//	<dir>/<task>/{local,secrets,private,tmp} one per task
//
// TaskConfig.alloc_dir is <dir>, the log FIFOs are
// <dir>/alloc/logs/.<task>.stdout.fifo and .stderr.fifo
// (client/allocrunner/taskrunner/logmon_hook.go), and the task ID is
// <alloc id>/<task name>/<8 hex> (task_runner.go, buildTaskConfig).
type nomadAlloc struct {
	ID   string
	Dir  string
	Task string
}

// newUUID makes a random RFC 4122 version 4 UUID, as Nomad's alloc IDs are.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// makeNomadAlloc creates the alloc dir for one task under root.
func makeNomadAlloc(root, task string) (*nomadAlloc, error) {
	a := &nomadAlloc{ID: newUUID(), Task: task}
	a.Dir = filepath.Join(root, a.ID)
	dirs := []string{
		a.SharedDir(), filepath.Join(a.SharedDir(), "logs"), filepath.Join(a.SharedDir(), "tmp"), filepath.Join(a.SharedDir(), "data"),
		a.TaskDir(), a.LocalDir(), a.SecretsDir(), filepath.Join(a.TaskDir(), "private"), filepath.Join(a.TaskDir(), "tmp"),
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o777); err != nil {
			return nil, fmt.Errorf("alloc dir: %w", err)
		}
		// Tasks may run as another user; Nomad makes these world-writable too.
		if err := os.Chmod(d, 0o777); err != nil {
			return nil, fmt.Errorf("alloc dir: %w", err)
		}
	}
	return a, nil
}

func (a *nomadAlloc) SharedDir() string  { return filepath.Join(a.Dir, "alloc") }
func (a *nomadAlloc) TaskDir() string    { return filepath.Join(a.Dir, a.Task) }
func (a *nomadAlloc) LocalDir() string   { return filepath.Join(a.TaskDir(), "local") }
func (a *nomadAlloc) SecretsDir() string { return filepath.Join(a.TaskDir(), "secrets") }
func (a *nomadAlloc) StdoutFIFO() string {
	return filepath.Join(a.SharedDir(), "logs", "."+a.Task+".stdout.fifo")
}
func (a *nomadAlloc) StderrFIFO() string {
	return filepath.Join(a.SharedDir(), "logs", "."+a.Task+".stderr.fifo")
}

// TaskID is <alloc id>/<task name>/<8 hex>, Nomad's format.
func (a *nomadAlloc) TaskID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return a.ID + "/" + a.Task + "/" + hex.EncodeToString(b[:])
}

// Env is the environment Nomad's client/taskenv builds for a task of this
// allocation (the variables a driver-agnostic task can rely on). isolated
// drivers (fs_isolation other than NONE) see the in-task paths /alloc,
// /local and /secrets instead of the host paths.
func (a *nomadAlloc) Env(job, group string, cpuMHz, memoryMB int64, isolated bool) map[string]string {
	allocDir, taskDir, secrets := a.SharedDir(), a.LocalDir(), a.SecretsDir()
	if isolated {
		allocDir, taskDir, secrets = "/alloc", "/local", "/secrets"
	}
	return map[string]string{
		"NOMAD_ALLOC_DIR":      allocDir,
		"NOMAD_TASK_DIR":       taskDir,
		"NOMAD_SECRETS_DIR":    secrets,
		"NOMAD_ALLOC_ID":       a.ID,
		"NOMAD_SHORT_ALLOC_ID": a.ID[:8],
		"NOMAD_ALLOC_NAME":     job + "." + group + "[0]",
		"NOMAD_ALLOC_INDEX":    "0",
		"NOMAD_TASK_NAME":      a.Task,
		"NOMAD_GROUP_NAME":     group,
		"NOMAD_JOB_NAME":       job,
		"NOMAD_JOB_ID":         job,
		"NOMAD_NAMESPACE":      "default",
		"NOMAD_REGION":         "global",
		"NOMAD_DC":             "dc1",
		"NOMAD_CPU_LIMIT":      strconv.FormatInt(cpuMHz, 10),
		"NOMAD_MEMORY_LIMIT":   strconv.FormatInt(memoryMB, 10),
	}
}
