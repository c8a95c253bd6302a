// Command testdriver is a small process driver used by the agent's
// integration tests when the example plugins are not built. Each task runs
// under a supervisor process (this binary re-executed as `supervise`, in its
// own session) that writes the real exit status to exit.json, so a fresh
// plugin process recovers the task and reports its true exit code.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

const name = "testproc"

type supSpec struct {
	Dir    string   `json:"dir"`
	Stdout string   `json:"stdout"`
	Stderr string   `json:"stderr"`
	Cmd    []string `json:"cmd"`
	Env    []string `json:"env"`
}

type exitFile struct {
	ExitCode int `json:"exit_code"`
	Signal   int `json:"signal"`
}

type driverState struct {
	Dir      string    `json:"dir"`
	ChildPid int       `json:"child_pid"`
	Env      []string  `json:"env"`
	Started  time.Time `json:"started"`
}

type taskConfig struct {
	Command string   `cty:"command"`
	Args    []string `cty:"args"`
}

var taskSchema = hclspec.Object(hclspec.Attrs{
	"command": hclspec.Attr("command", "string", true),
	"args":    hclspec.Attr("args", "list(string)", false),
})

var configSchema = hclspec.Object(hclspec.Attrs{
	"label": hclspec.Attr("label", "string", false),
})

type drv struct {
	mu      sync.Mutex
	tasks   map[string]*driverState
	label   string
	compute string
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "supervise" {
		os.Exit(supervise(os.Args[2]))
	}
	plugin.Serve(&drv{tasks: map[string]*driverState{}})
}

func supervise(arg string) int {
	// Catch rather than ignore: an ignored disposition would be inherited
	// by the task through exec.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE)
	var s supSpec
	if err := json.Unmarshal([]byte(arg), &s); err != nil {
		return 2
	}
	out, err1 := os.OpenFile(s.Stdout, os.O_WRONLY, 0)
	errf, err2 := os.OpenFile(s.Stderr, os.O_WRONLY, 0)
	if err1 != nil || err2 != nil {
		writeExit(s.Dir, exitFile{ExitCode: 127})
		return 1
	}
	cmd := exec.Command(s.Cmd[0], s.Cmd[1:]...)
	cmd.Env, cmd.Stdout, cmd.Stderr, cmd.Dir = s.Env, out, errf, s.Dir
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(errf, err)
		writeExit(s.Dir, exitFile{ExitCode: 127})
		return 1
	}
	os.WriteFile(filepath.Join(s.Dir, "child.pid"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o600)
	_ = cmd.Wait()
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	ef := exitFile{ExitCode: ws.ExitStatus()}
	if ws.Signaled() {
		ef = exitFile{ExitCode: 128 + int(ws.Signal()), Signal: int(ws.Signal())}
	}
	writeExit(s.Dir, ef)
	return 0
}

func writeExit(dir string, ef exitFile) {
	b, _ := json.Marshal(ef)
	tmp := filepath.Join(dir, "exit.json.tmp")
	if os.WriteFile(tmp, b, 0o600) == nil {
		os.Rename(tmp, filepath.Join(dir, "exit.json"))
	}
}

func readExit(dir string) *exitFile {
	b, err := os.ReadFile(filepath.Join(dir, "exit.json"))
	if err != nil {
		return nil
	}
	var ef exitFile
	if json.Unmarshal(b, &ef) != nil {
		return nil
	}
	return &ef
}

func (d *drv) PluginInfo(context.Context) (*base.PluginInfo, error) {
	return &base.PluginInfo{Type: base.PluginTypeDriver, APIVersions: []string{base.APIVersion010}, Version: "0.1.0", Name: name}, nil
}

func (d *drv) ConfigSchema(context.Context) (*hclspec.Spec, error) { return configSchema, nil }

func (d *drv) SetConfig(_ context.Context, c *base.Config) error {
	var cfg struct {
		Label *string `cty:"label"`
	}
	if len(c.MsgpackConfig) > 0 {
		if err := base.DecodeConfig(c.MsgpackConfig, configSchema, &cfg); err != nil {
			return err
		}
	}
	if cfg.Label != nil {
		d.label = *cfg.Label
	}
	d.compute = agentCompute(c)
	return nil
}

// agentCompute shows what SetConfig's agent config said about the host:
// "<total MHz>/<cores>", or "none".
func agentCompute(c *base.Config) string {
	if c.Agent == nil || c.Agent.Topology == nil {
		return "none"
	}
	return fmt.Sprintf("%d/%d", c.Agent.Topology.TotalCompute(), len(c.Agent.Topology.Cores))
}

func (d *drv) TaskConfigSchema(context.Context) (*hclspec.Spec, error) { return taskSchema, nil }

func (d *drv) Capabilities(context.Context) (*driver.Capabilities, error) {
	return &driver.Capabilities{SendSignals: true, Exec: true, FSIsolation: driver.FSIsolationNone}, nil
}

func (d *drv) Fingerprint(ctx context.Context) (<-chan *driver.Fingerprint, error) {
	ch := make(chan *driver.Fingerprint, 1)
	ch <- &driver.Fingerprint{Health: driver.HealthStateHealthy, HealthDescription: "ready",
		Attributes: map[string]*base.Attribute{"driver.testproc.label": base.NewStringAttribute(d.label),
			"driver.testproc.agent_compute": base.NewStringAttribute(d.compute)}}
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

func (d *drv) get(id string) (*driverState, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, ok := d.tasks[id]
	if !ok {
		return nil, driver.ErrTaskNotFound
	}
	return s, nil
}

func (d *drv) RecoverTask(_ context.Context, h *driver.TaskHandle) error {
	var s driverState
	if err := h.GetDriverState(&s); err != nil {
		return fmt.Errorf("driver state: %w", err)
	}
	if _, err := os.Stat(s.Dir); err != nil {
		return fmt.Errorf("%w: %v", driver.ErrTaskNotFound, err)
	}
	d.mu.Lock()
	d.tasks[h.Config.ID] = &s
	d.mu.Unlock()
	return nil
}

func (d *drv) StartTask(_ context.Context, cfg *driver.TaskConfig) (*driver.TaskHandle, *driver.NetworkOverride, error) {
	var tc taskConfig
	if err := cfg.DecodeDriverConfig(taskSchema, &tc); err != nil {
		return nil, nil, err
	}
	dir := filepath.Join(cfg.AllocDir, "testproc")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	var env []string
	for k, v := range cfg.Env {
		env = append(env, k+"="+v)
	}
	// This driver isolates nothing; it shows the task what it was given.
	var mounts, devs []string
	for _, m := range cfg.Mounts {
		mounts = append(mounts, fmt.Sprintf("%s:%s:%v", m.TaskPath, m.HostPath, m.ReadOnly))
	}
	for _, d := range cfg.Devices {
		devs = append(devs, fmt.Sprintf("%s:%s:%s", d.TaskPath, d.HostPath, d.CgroupPermissions))
	}
	env = append(env, "TESTPROC_MOUNTS="+strings.Join(mounts, ","), "TESTPROC_DEVICES="+strings.Join(devs, ","))
	spec, _ := json.Marshal(supSpec{Dir: dir, Stdout: cfg.StdoutPath, Stderr: cfg.StderrPath, Cmd: append([]string{tc.Command}, tc.Args...), Env: env})
	self, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	sup := exec.Command(self, "supervise", string(spec))
	sup.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := sup.Start(); err != nil {
		return nil, nil, err
	}
	go sup.Wait()
	var child int
	for i := 0; i < 500 && child == 0; i++ {
		if b, err := os.ReadFile(filepath.Join(dir, "child.pid")); err == nil {
			child, _ = strconv.Atoi(string(b))
		} else if readExit(dir) != nil {
			break
		} else {
			time.Sleep(10 * time.Millisecond)
		}
	}
	s := &driverState{Dir: dir, ChildPid: child, Env: env, Started: time.Now()}
	h := &driver.TaskHandle{Version: 1, Config: cfg, State: driver.TaskStateRunning}
	if err := h.SetDriverState(s); err != nil {
		return nil, nil, err
	}
	d.mu.Lock()
	d.tasks[cfg.ID] = s
	d.mu.Unlock()
	return h, nil, nil
}

func (d *drv) WaitTask(ctx context.Context, id string) (*driver.ExitResult, error) {
	s, err := d.get(id)
	if err != nil {
		return nil, err
	}
	for {
		if ef := readExit(s.Dir); ef != nil {
			return &driver.ExitResult{ExitCode: ef.ExitCode, Signal: ef.Signal}, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (d *drv) StopTask(ctx context.Context, id string, timeout time.Duration, sig string) error {
	s, err := d.get(id)
	if err != nil {
		return err
	}
	if readExit(s.Dir) != nil {
		return nil
	}
	num := syscall.SIGINT
	if sig != "" {
		num = unix.SignalNum(strings.ToUpper(sig))
	}
	_ = syscall.Kill(s.ChildPid, num)
	deadline := time.Now().Add(timeout)
	for readExit(s.Dir) == nil {
		if time.Now().After(deadline) {
			_ = syscall.Kill(s.ChildPid, syscall.SIGKILL)
			deadline = time.Now().Add(time.Hour)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

func (d *drv) DestroyTask(_ context.Context, id string, force bool) error {
	s, err := d.get(id)
	if err != nil {
		return err
	}
	if readExit(s.Dir) == nil {
		if !force {
			return errors.New("task is still running; stop it or destroy with force")
		}
		_ = syscall.Kill(s.ChildPid, syscall.SIGKILL)
	}
	d.mu.Lock()
	delete(d.tasks, id)
	d.mu.Unlock()
	return nil
}

func (d *drv) InspectTask(_ context.Context, id string) (*driver.TaskStatus, error) {
	s, err := d.get(id)
	if err != nil {
		return nil, err
	}
	st := &driver.TaskStatus{ID: id, State: driver.TaskStateRunning, StartedAt: s.Started}
	if ef := readExit(s.Dir); ef != nil {
		st.State, st.ExitResult = driver.TaskStateExited, &driver.ExitResult{ExitCode: ef.ExitCode, Signal: ef.Signal}
	}
	return st, nil
}

func (d *drv) TaskStats(ctx context.Context, id string, interval time.Duration) (<-chan *driver.TaskStats, error) {
	s, err := d.get(id)
	if err != nil {
		return nil, err
	}
	if interval <= 0 {
		interval = time.Second
	}
	ch := make(chan *driver.TaskStats, 1)
	go func() {
		defer close(ch)
		for {
			ticks, rss := procUsage(s.ChildPid)
			u := &driver.ResourceUsage{
				CPU:    &driver.CPUUsage{TotalTicks: ticks, Measured: []driver.CPUField{driver.CPUTotalTicks}},
				Memory: &driver.MemoryUsage{RSS: rss, Measured: []driver.MemoryField{driver.MemoryRSS}},
			}
			select {
			case ch <- &driver.TaskStats{ID: id, Timestamp: time.Now(), Aggregate: u, ByPID: map[string]*driver.ResourceUsage{strconv.Itoa(s.ChildPid): u}}:
			case <-ctx.Done():
				return
			}
			if readExit(s.Dir) != nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(interval):
			}
		}
	}()
	return ch, nil
}

func procUsage(pid int) (ticks float64, rss uint64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0
	}
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+2:]))
	if len(f) > 21 {
		ut, _ := strconv.ParseFloat(f[11], 64)
		st, _ := strconv.ParseFloat(f[12], 64)
		pages, _ := strconv.ParseUint(f[21], 10, 64)
		return ut + st, pages * uint64(os.Getpagesize())
	}
	return 0, 0
}

func (d *drv) TaskEvents(ctx context.Context) (<-chan *driver.TaskEvent, error) {
	ch := make(chan *driver.TaskEvent)
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

func (d *drv) SignalTask(_ context.Context, id, sig string) error {
	s, err := d.get(id)
	if err != nil {
		return err
	}
	num := unix.SignalNum(strings.ToUpper(sig))
	if num == 0 {
		return fmt.Errorf("unknown signal %q", sig)
	}
	return syscall.Kill(s.ChildPid, num)
}

func (d *drv) ExecTask(ctx context.Context, id string, command []string, timeout time.Duration) (*driver.ExecResult, error) {
	return nil, errors.New("testproc: use streaming exec")
}

// ExecTaskStreaming runs a command with the task's environment, on a real
// pseudo-terminal when asked for one.
func (d *drv) ExecTaskStreaming(ctx context.Context, id string, o *driver.ExecOptions) (*driver.ExitResult, error) {
	s, err := d.get(id)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, o.Command[0], o.Command[1:]...)
	cmd.Env, cmd.Dir = s.Env, s.Dir
	var master *os.File
	if o.Tty {
		m, slave, err := openPTY()
		if err != nil {
			return nil, err
		}
		master = m
		defer master.Close()
		cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
		if err := cmd.Start(); err != nil {
			slave.Close()
			return nil, err
		}
		slave.Close()
		go func() {
			for sz := range o.Resize {
				ws := unix.Winsize{Row: uint16(sz.Height), Col: uint16(sz.Width)}
				_ = unix.IoctlSetWinsize(int(master.Fd()), unix.TIOCSWINSZ, &ws)
			}
		}()
		go io.Copy(master, o.Stdin)
		done := make(chan struct{})
		go func() { io.Copy(o.Stdout, master); close(done) }()
		_ = cmd.Wait()
		select {
		case <-done:
		case <-time.After(time.Second):
		}
	} else {
		stdin, _ := cmd.StdinPipe()
		cmd.Stdout, cmd.Stderr = o.Stdout, o.Stderr
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		go func() { io.Copy(stdin, o.Stdin); stdin.Close() }()
		_ = cmd.Wait()
	}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		return &driver.ExitResult{ExitCode: 128 + int(ws.Signal()), Signal: int(ws.Signal())}, nil
	}
	return &driver.ExitResult{ExitCode: ws.ExitStatus()}, nil
}

func openPTY() (*os.File, *os.File, error) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		m.Close()
		return nil, nil, e
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	return m, s, nil
}
