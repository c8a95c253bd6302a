package execdriver

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// SuperviseArg is the first argument that turns the plugin binary into a
// task supervisor: `<binary> supervise <state-dir>`.
const SuperviseArg = "supervise"

// Supervise runs one task described by stateDir/spec.json and records its
// end. It returns the supervisor's own exit code. It never writes to
// stdout; its diagnostics go to stderr (the state dir's supervisor.log).
func Supervise(stateDir string) int {
	// The plugin may die and its pipes with it; nothing here may die of a
	// signal meant for the plugin's session.
	signal.Ignore(syscall.SIGHUP, syscall.SIGINT, syscall.SIGPIPE)
	if err := supervise(stateDir); err != nil {
		fmt.Fprintf(os.Stderr, "yurt-exec supervisor: %v\n", err)
		if !exists(stateDir, pidFile) {
			_ = os.WriteFile(filepath.Join(stateDir, errorFile), []byte(err.Error()), 0o600)
		}
		return 1
	}
	return 0
}

func supervise(stateDir string) error {
	var spec taskSpec
	if err := readJSON(stateDir, specFile, &spec); err != nil {
		return fmt.Errorf("reading task spec: %w", err)
	}
	// Opening a FIFO for writing blocks until the log collector opens it
	// for reading, which is why this happens here and not in the plugin.
	stdout, err := openOutput(spec.StdoutPath)
	if err != nil {
		return fmt.Errorf("opening stdout_path: %w", err)
	}
	defer stdout.Close()
	stderr, err := openOutput(spec.StderrPath)
	if err != nil {
		return fmt.Errorf("opening stderr_path: %w", err)
	}
	defer stderr.Close()

	cmd := exec.Command(spec.Command, spec.Args...)
	cmd.Env = spec.Env
	cmd.Dir = spec.Dir
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	attr, err := procAttr(spec.User)
	if err != nil {
		return err
	}
	cmd.SysProcAttr = attr
	// Ignored signals stay ignored across exec; the task gets defaults.
	signal.Reset(syscall.SIGHUP, syscall.SIGINT, syscall.SIGPIPE)
	err = cmd.Start()
	signal.Ignore(syscall.SIGHUP, syscall.SIGINT, syscall.SIGPIPE)
	if err != nil {
		return fmt.Errorf("starting %q: %w", spec.Command, err)
	}
	if err := writeJSON(stateDir, pidFile, pidRecord{PID: cmd.Process.Pid, StartedAt: time.Now().UTC()}); err != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		return fmt.Errorf("recording pid: %w", err)
	}
	werr := cmd.Wait()
	rec := exitRecord{CompletedAt: time.Now().UTC()}
	var ee *exec.ExitError
	switch {
	case werr == nil:
	case errors.As(werr, &ee):
		ws, ok := ee.Sys().(syscall.WaitStatus)
		if ok && ws.Signaled() {
			rec.Signal = int(ws.Signal())
			rec.ExitCode = 128 + rec.Signal
		} else {
			rec.ExitCode = ee.ExitCode()
		}
	default:
		return fmt.Errorf("waiting for task: %w", werr)
	}
	if err := writeJSON(stateDir, exitFile, rec); err != nil {
		return fmt.Errorf("recording exit status: %w", err)
	}
	return nil
}

func openOutput(path string) (*os.File, error) {
	if path == "" {
		return os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	}
	return os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
}

// procAttr puts the task in its own process group (so stop signals reach
// its children too) and runs it as user when one is given.
func procAttr(userName string) (*syscall.SysProcAttr, error) {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if userName == "" {
		return attr, nil
	}
	u, err := user.Lookup(userName)
	if err != nil {
		return nil, fmt.Errorf("task user %q: %w", userName, err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("task user %q: uid %q: %w", userName, u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("task user %q: gid %q: %w", userName, u.Gid, err)
	}
	if uint64(os.Geteuid()) == uid {
		return attr, nil
	}
	if os.Geteuid() != 0 {
		return nil, fmt.Errorf("task user %q: the plugin runs as uid %d and is not root, so it can only run tasks as itself", userName, os.Geteuid())
	}
	attr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	return attr, nil
}

// chownForUser gives the task's user its directory (the state directory
// inside stays the supervisor's). Only root can, and only root needs to.
func chownForUser(dir, userName string) error {
	if userName == "" || os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup(userName)
	if err != nil {
		return fmt.Errorf("task user %q: %w", userName, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return fmt.Errorf("giving task dir to user %q: %w", userName, err)
	}
	return nil
}
