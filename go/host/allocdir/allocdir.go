// Package allocdir builds the directories, log FIFO paths, task IDs and task
// environment a Nomad client gives a task driver, so that the yurt agent and
// the conformance harness call plugins with what Nomad v2.0.5 sends.
//
// Sources in hashicorp/nomad v2.0.5 (read, not copied):
//   - client/allocdir/alloc_dir.go: NewAllocDir puts an allocation in
//     <client alloc dir>/<alloc id>; Build makes it 0755 and the shared
//     alloc/ with logs/, tmp/ and data/;
//   - client/allocdir/task_dir.go: newTaskDir and Build make <task>/ with
//     local/, tmp/ (sticky), secrets/ and private/;
//   - client/allocdir/fs_unix.go dropDirPermissions: every directory made by
//     allocMkdirAll/allocMakeSecretsDir is chmod'ed to mode|0777 and, when the
//     client runs as root, chowned to "nobody";
//   - client/allocrunner/taskrunner/logmon_hook.go: the FIFOs are
//     <alloc dir>/alloc/logs/.<task>.stdout.fifo and .stderr.fifo;
//   - client/allocrunner/taskrunner/task_runner.go buildTaskConfig: the task
//     ID is "<alloc id>/<task name>/<uuid.Short()>" (8 hex characters, new
//     for every start) and TaskConfig.alloc_dir is the allocation directory;
//   - plugins/drivers/driver.go TaskConfig.TaskDir: a driver finds the task's
//     own directory at <alloc_dir>/<task name>, which raw_exec uses as the
//     working directory.
//
// Nomad mounts a tmpfs on secrets/ and private/ when it runs as root; this
// package makes plain directories (no mount to undo, nothing left behind).
package allocdir

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// Directory names, as in client/allocdir.
const (
	SharedAllocName = "alloc"
	LogDirName      = "logs"
	TmpDirName      = "tmp"
	SharedDataDir   = "data"
	TaskLocal       = "local"
	TaskSecrets     = "secrets"
	TaskPrivate     = "private"
)

// AllocDir holds every path of one task in its allocation. All paths are
// absolute host paths.
type AllocDir struct {
	AllocID  string
	TaskName string

	// Dir is the allocation directory, <root>/<alloc id>: what Nomad sends
	// as TaskConfig.alloc_dir.
	Dir string
	// SharedDir is <Dir>/alloc, shared by the tasks of the allocation
	// (NOMAD_ALLOC_DIR for a driver without filesystem isolation).
	SharedDir string
	// LogDir is <Dir>/alloc/logs: the FIFOs and the rotated log files.
	LogDir string
	// SharedTmpDir is <Dir>/alloc/tmp and DataDir <Dir>/alloc/data.
	SharedTmpDir, DataDir string

	// TaskDir is <Dir>/<task>: the task's own directory and the working
	// directory of drivers without isolation (raw_exec).
	TaskDir string
	// LocalDir (<TaskDir>/local, NOMAD_TASK_DIR), SecretsDir
	// (<TaskDir>/secrets, NOMAD_SECRETS_DIR), PrivateDir (<TaskDir>/private)
	// and TaskTmpDir (<TaskDir>/tmp, sticky).
	LocalDir, SecretsDir, PrivateDir, TaskTmpDir string

	// StdoutFIFO and StderrFIFO are <Dir>/alloc/logs/.<task>.stdout.fifo
	// and .stderr.fifo: TaskConfig.stdout_path and stderr_path. Build does
	// not create them; the log collector does.
	StdoutFIFO, StderrFIFO string
}

// Paths computes the layout for a task without touching the disk. root must
// be an absolute path; allocID and taskName must be usable as one path
// component each.
func Paths(root, allocID, taskName string) (*AllocDir, error) {
	if !filepath.IsAbs(root) {
		return nil, fmt.Errorf("allocdir: root: expected an absolute path, got %q", root)
	}
	if err := checkComponent("alloc id", allocID); err != nil {
		return nil, err
	}
	if err := CheckTaskName(taskName); err != nil {
		return nil, err
	}
	dir := filepath.Join(root, allocID)
	shared := filepath.Join(dir, SharedAllocName)
	logs := filepath.Join(shared, LogDirName)
	task := filepath.Join(dir, taskName)
	return &AllocDir{
		AllocID: allocID, TaskName: taskName,
		Dir: dir, SharedDir: shared, LogDir: logs,
		SharedTmpDir: filepath.Join(shared, TmpDirName), DataDir: filepath.Join(shared, SharedDataDir),
		TaskDir: task, LocalDir: filepath.Join(task, TaskLocal), SecretsDir: filepath.Join(task, TaskSecrets),
		PrivateDir: filepath.Join(task, TaskPrivate), TaskTmpDir: filepath.Join(task, TmpDirName),
		StdoutFIFO: filepath.Join(logs, "."+taskName+".stdout.fifo"),
		StderrFIFO: filepath.Join(logs, "."+taskName+".stderr.fifo"),
	}, nil
}

// Build computes the layout (see Paths) and creates it: the allocation
// directory 0755, every other directory 0777 (<task>/tmp with the sticky
// bit), owned by "nobody" when running as root, as Nomad does. Building an
// existing layout again is fine (a restarted task keeps its files).
func Build(root, allocID, taskName string) (*AllocDir, error) {
	a, err := Paths(root, allocID, taskName)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(a.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("allocdir: create alloc dir: %w", err)
	}
	owner, err := nobodyIfRoot()
	if err != nil {
		return nil, err
	}
	dirs := []struct {
		path string
		mode os.FileMode
	}{
		{a.SharedDir, 0o777}, {a.LogDir, 0o777}, {a.SharedTmpDir, 0o777}, {a.DataDir, 0o777},
		{a.TaskDir, 0o777}, {a.LocalDir, 0o777}, {a.TaskTmpDir, os.ModeSticky | 0o777},
		{a.SecretsDir, 0o777}, {a.PrivateDir, 0o777},
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d.path, 0o700); err != nil {
			return nil, fmt.Errorf("allocdir: create %s: %w", d.path, err)
		}
		if err := os.Chmod(d.path, d.mode); err != nil {
			return nil, fmt.Errorf("allocdir: chmod %s: %w", d.path, err)
		}
		if owner != nil {
			if err := os.Lchown(d.path, owner[0], owner[1]); err != nil {
				return nil, fmt.Errorf("allocdir: chown %s to nobody: %w", d.path, err)
			}
		}
	}
	return a, nil
}

// Destroy removes the whole allocation directory.
func (a *AllocDir) Destroy() error {
	if err := os.RemoveAll(a.Dir); err != nil {
		return fmt.Errorf("allocdir: remove %s: %w", a.Dir, err)
	}
	return nil
}

// nobodyIfRoot returns nobody's uid and gid when this process is root, nil
// otherwise (client/allocdir/fs_unix.go dropDirPermissions).
func nobodyIfRoot() (*[2]int, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return nil, fmt.Errorf("allocdir: running as root, directories go to user nobody: %w", err)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("allocdir: user nobody: %w", err)
	}
	return &[2]int{uid, gid}, nil
}

func checkComponent(what, s string) error {
	switch {
	case s == "":
		return fmt.Errorf("allocdir: %s: expected a non-empty name, got \"\"", what)
	case s == "." || s == "..":
		return fmt.Errorf("allocdir: %s: expected a name usable as a directory, got %q", what, s)
	case strings.ContainsAny(s, "/\x00"):
		return fmt.Errorf("allocdir: %s: expected no '/' or NUL, got %q", what, s)
	}
	return nil
}

// CheckTaskName says whether name can be a task's directory next to the
// shared alloc/ directory.
func CheckTaskName(name string) error {
	if err := checkComponent("task name", name); err != nil {
		return err
	}
	if name == SharedAllocName {
		return fmt.Errorf("allocdir: task name: %q is the allocation's shared directory; choose another name", name)
	}
	return nil
}

// NewAllocID returns a random allocation ID in Nomad's form, a UUID
// (helper/uuid.Generate: 8-4-4-4-12 lowercase hex).
func NewAllocID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// NewTaskID returns a task ID as Nomad's task runner builds it for every
// start: "<alloc id>/<task name>/<8 hex>".
func NewTaskID(allocID, taskName string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return allocID + "/" + taskName + "/" + hex.EncodeToString(b)
}

var taskIDForm = regexp.MustCompile(`^([^/]+)/([^/]+)/([0-9a-f]{8})$`)

// ParseTaskID splits a task ID built by NewTaskID (or by Nomad).
func ParseTaskID(id string) (allocID, taskName, invocation string, err error) {
	m := taskIDForm.FindStringSubmatch(id)
	if m == nil {
		return "", "", "", fmt.Errorf("allocdir: task id: expected \"<alloc id>/<task name>/<8 hex>\", got %q", id)
	}
	return m[1], m[2], m[3], nil
}

// Apply fills the TaskConfig fields Nomad derives from the layout: id (a
// new "<alloc id>/<task>/<8 hex>" when empty), name, alloc_id, alloc_dir
// (the allocation directory) and the FIFO paths.
func (a *AllocDir) Apply(cfg *driver.TaskConfig) {
	if cfg.ID == "" {
		cfg.ID = NewTaskID(a.AllocID, a.TaskName)
	}
	cfg.Name, cfg.AllocID, cfg.AllocDir = a.TaskName, a.AllocID, a.Dir
	cfg.StdoutPath, cfg.StderrPath = a.StdoutFIFO, a.StderrFIFO
}
