// Package execdriver is yurt-exec, an example Nomad task driver that runs a
// command as a plain process. Each task gets a small supervisor (this same
// binary re-executed with "supervise", in its own session) that forks the
// task, writes its output to the task's stdout/stderr paths and records the
// real exit status in the task's state directory. The plugin can therefore
// die and a fresh plugin process recovers the task from driver_state alone
// and still reports the real exit code.
package execdriver

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Files in a task's state directory.
const (
	specFile  = "spec.json"      // written by the driver: what to run
	pidFile   = "pid.json"       // written by the supervisor once the task runs
	exitFile  = "exit.json"      // written by the supervisor when the task ends
	errorFile = "error.txt"      // written by the supervisor if it could not start the task
	logFile   = "supervisor.log" // the supervisor's stderr
)

// taskSpec is what the supervisor needs to run the task.
type taskSpec struct {
	Command    string   `json:"command"`
	Args       []string `json:"args"`
	Env        []string `json:"env"`
	Dir        string   `json:"dir"`
	User       string   `json:"user"`
	StdoutPath string   `json:"stdout_path"`
	StderrPath string   `json:"stderr_path"`
}

type pidRecord struct {
	PID       int       `json:"pid"`
	StartedAt time.Time `json:"started_at"`
}

type exitRecord struct {
	ExitCode    int       `json:"exit_code"`
	Signal      int       `json:"signal"`
	CompletedAt time.Time `json:"completed_at"`
}

// driverState is the TaskHandle's driver_state: enough to find the task
// again from a fresh plugin process.
type driverState struct {
	StateDir  string    `json:"state_dir"`
	TaskDir   string    `json:"task_dir"`
	PID       int       `json:"pid"`
	StartedAt time.Time `json:"started_at"`
	Command   string    `json:"command"`
	Args      []string  `json:"args"`
	Env       []string  `json:"env"`
	User      string    `json:"user"`
}

// writeJSON writes v atomically (temp file and rename) so that readers
// never see half a record.
func writeJSON(dir, name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+name+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, name))
}

// readJSON returns os.ErrNotExist (wrapped) when the file is not there yet.
func readJSON(dir, name string, v any) error {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, name), err)
	}
	return nil
}

func exists(dir, name string) bool {
	_, err := os.Stat(filepath.Join(dir, name))
	return !errors.Is(err, os.ErrNotExist)
}
