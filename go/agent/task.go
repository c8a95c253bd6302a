package agent

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"sync"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/config"
	"github.com/yurt-sdk/yurt/go/state"
)

// task is the agent's view of one task. spec and parsed never change after
// creation; the rest is guarded by mu.
type task struct {
	spec   *state.TaskSpec
	parsed *config.Task

	mu       sync.Mutex
	state    string
	result   *state.TaskResult
	errMsg   string
	done     chan struct{}
	finished bool
	// listed is the task's JSON as the task list last sent it.
	listed *taskJSON
}

// taskJSON is a task's encoded snapshot and what it was made from: spec
// and parsed never change and a result is never modified once set, so the
// same state, message and result give the same bytes.
type taskJSON struct {
	state, errMsg string
	result        *state.TaskResult
	b             []byte
}

// json is the task's snapshot in JSON, encoded again only when it changed
// since the last call: a list of thousands of tasks re-encodes the few that
// changed.
func (t *task) json() ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if c := t.listed; c != nil && c.state == t.state && c.errMsg == t.errMsg && c.result == t.result {
		return c.b, nil
	}
	b, err := json.Marshal(t.snapshotLocked())
	if err != nil {
		return nil, err
	}
	t.listed = &taskJSON{state: t.state, errMsg: t.errMsg, result: t.result, b: b}
	return b, nil
}

func (t *task) snapshot() api.Task {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.snapshotLocked()
}

func (t *task) snapshotLocked() api.Task {
	out := api.Task{
		ID: t.spec.ID, Name: t.spec.Name, Driver: t.spec.Driver, File: t.spec.File, State: t.state,
		CreatedAt: t.spec.CreatedAt, Devices: t.spec.Devices, TaskDir: t.spec.TaskDir, Error: t.errMsg,
		AllocID: t.spec.AllocID, AllocDir: t.spec.AllocDir, DriverTaskID: t.spec.DriverTaskID,
	}
	if t.parsed != nil {
		out.KillTimeoutMS = t.parsed.KillTimeout.Milliseconds()
	}
	if r := t.result; r != nil {
		if r.Err == "" || r.ExitCode != 0 || r.Signal != 0 {
			code := r.ExitCode
			out.ExitCode = &code
		}
		out.Signal, out.OOMKilled = r.Signal, r.OOMKilled
		if r.Err != "" {
			out.Error = r.Err
		}
		fin := r.FinishedAt
		out.FinishedAt = &fin
	}
	return out
}

func (t *task) setState(s, errMsg string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.finished {
		t.state, t.errMsg = s, errMsg
	}
}

func newID(name string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return name + idSeparator + hex.EncodeToString(b) // a form no name can take (refs.go)
}

// prepared is a validated task ready to start: its driver config encoded
// and its devices chosen.
type prepared struct {
	t       *config.Task
	drv     *pluginInst
	msgpack []byte
	id      string
	res     *reservation
	devices map[string][]string
}
