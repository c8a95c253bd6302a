package supervise

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// HostFromAgent is the CPUHost of the agent configuration SetConfig gave
// the driver, computed as Nomad does (client/lib/numalib/topology.go:
// TotalCompute is the override when set, else the sum over cores of the
// base speed, else the max speed, else the guessed speed; the core count is
// the number of cores). The zero CPUHost (fall back to /proc/cpuinfo) when
// the agent sent no topology.
func HostFromAgent(a *base.AgentConfig) CPUHost {
	if a == nil || a.Topology == nil || len(a.Topology.Cores) == 0 {
		return CPUHost{}
	}
	t := a.Topology
	h := CPUHost{Cores: len(t.Cores), TotalMHz: float64(t.OverrideTotalCompute)}
	if h.TotalMHz == 0 {
		for _, c := range t.Cores {
			switch {
			case c.BaseSpeed > 0:
				h.TotalMHz += float64(c.BaseSpeed)
			case c.MaxSpeed > 0:
				h.TotalMHz += float64(c.MaxSpeed)
			default:
				h.TotalMHz += float64(c.GuessSpeed)
			}
		}
	}
	return h
}

// DriverResult is r as the driver SDK's ExitResult.
func (r *ExitResult) DriverResult() *driver.ExitResult {
	if r == nil {
		return nil
	}
	return &driver.ExitResult{ExitCode: r.ExitCode, Signal: r.Signal, OOMKilled: r.OOMKilled}
}

// DriverUsage is u as the driver SDK's ResourceUsage, every field filled
// listed as measured.
func (u Usage) DriverUsage() *driver.ResourceUsage {
	return &driver.ResourceUsage{
		CPU: &driver.CPUUsage{Percent: u.Percent, UserMode: u.UserMode, SystemMode: u.SystemMode, TotalTicks: u.TotalTicks,
			Measured: []driver.CPUField{driver.CPUPercent, driver.CPUUserMode, driver.CPUSystemMode, driver.CPUTotalTicks}},
		Memory: &driver.MemoryUsage{RSS: u.RSS, Swap: u.Swap, Usage: u.Usage, MaxUsage: u.MaxUsage,
			Measured: []driver.MemoryField{driver.MemoryRSS, driver.MemorySwap, driver.MemoryUsageField, driver.MemoryMaxUsage}},
	}
}

// DriverStats is s as the driver SDK's TaskStats.
func (s *Stats) DriverStats(taskID string) *driver.TaskStats {
	ts := &driver.TaskStats{ID: taskID, Timestamp: s.Time, Aggregate: s.Total.DriverUsage(),
		ByPID: make(map[string]*driver.ResourceUsage, len(s.ByPID))}
	for pid, u := range s.ByPID {
		ts.ByPID[strconv.Itoa(pid)] = u.DriverUsage()
	}
	return ts
}

// ParseSignal accepts "SIGTERM", "TERM", "term" or a number, as Nomad's
// kill_signal and SignalTask do.
func ParseSignal(s string) (syscall.Signal, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		if n <= 0 || n > 64 {
			return 0, fmt.Errorf("signal number %d is out of range 1..64", n)
		}
		return syscall.Signal(n), nil
	}
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if sig := unix.SignalNum(name); sig != 0 {
		return sig, nil
	}
	return 0, fmt.Errorf("unknown signal %q, expected a name such as SIGTERM or a number", s)
}

// DriverExec is ExecTask for a driver on this layer: the command in the
// task's environment, stderr merged into stdout as Nomad's executor returns
// it (Nomad's script checks keep only stdout).
func (t *Task) DriverExec(ctx context.Context, command []string, timeout time.Duration) (*driver.ExecResult, error) {
	out, res, err := t.Exec(ctx, command, timeout)
	if err != nil {
		return nil, err
	}
	return &driver.ExecResult{Stdout: out, Exit: res.DriverResult()}, nil
}

// DriverExecStreaming is ExecTaskStreaming for a driver on this layer: the
// session's streams, terminal and resizes mapped onto ExecStreaming.
func (t *Task) DriverExecStreaming(ctx context.Context, opts *driver.ExecOptions) (*driver.ExitResult, error) {
	resize := make(chan TerminalSize)
	go func() {
		defer close(resize)
		for sz := range opts.Resize {
			resize <- TerminalSize{Rows: uint16(sz.Height), Cols: uint16(sz.Width)}
		}
	}()
	res, err := t.ExecStreaming(ctx, ExecOptions{Command: opts.Command, Tty: opts.Tty, Stdin: opts.Stdin,
		Stdout: opts.Stdout, Stderr: opts.Stderr, Resize: resize})
	if err != nil {
		return nil, err
	}
	return res.DriverResult(), nil
}
