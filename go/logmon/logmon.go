// Package logmon collects task output from FIFOs into size-rotated files.
// The agent uses Collector (collector.go): every task's FIFOs read inside
// the agent. Run/Main/Start/Stop are the older standalone form: a process
// per task (the yurt binary re-executed as `yurt logmon`, in its own
// session) that outlives the agent: it creates the task's stdout and stderr FIFOs,
// reads them into size-rotated 0600 files, and keeps reading while the agent
// is down. If the agent read the FIFOs itself, a killed agent would leave
// them without a reader and the task's next write would die of SIGPIPE.
//
// The collector holds a write end of each FIFO open itself, so it never sees
// EOF while the driver reopens the FIFO, and the task never writes into a
// FIFO without a reader. On SIGTERM it drops its write end, drains what the
// task wrote and exits.
package logmon

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Streams are the captured stream names.
var Streams = []string{"stdout", "stderr"}

const (
	pidFile = "logmon.pid"
	logFile = "logmon.log"
	// drainTimeout bounds reading after SIGTERM when some process still
	// holds the FIFO open.
	drainTimeout = 2 * time.Second
)

// Config says where to collect and how to rotate.
type Config struct {
	// Dir holds the pid file, the logs/ directory and, unless StdoutFIFO
	// and StderrFIFO say otherwise, the FIFOs.
	Dir         string
	MaxFiles    int
	MaxFileSize int64
	// StdoutFIFO and StderrFIFO, when set, are where the FIFOs go instead
	// (Nomad's <alloc dir>/alloc/logs/.<task>.stdout.fifo).
	StdoutFIFO, StderrFIFO string
}

// FIFO is the default path a task writes stream ("stdout" or "stderr") to.
func FIFO(dir, stream string) string { return filepath.Join(dir, stream+".fifo") }

// FIFOPath is the FIFO of stream under c.
func (c Config) FIFOPath(stream string) string {
	switch {
	case stream == "stdout" && c.StdoutFIFO != "":
		return c.StdoutFIFO
	case stream == "stderr" && c.StderrFIFO != "":
		return c.StderrFIFO
	}
	return FIFO(c.Dir, stream)
}

// LogDir holds the rotated files.
func LogDir(dir string) string { return filepath.Join(dir, "logs") }

// Args is the command line (after the program and "logmon") for cfg.
func (c Config) Args() []string {
	args := []string{"-dir", c.Dir, "-max-files", strconv.Itoa(c.MaxFiles), "-max-file-size", strconv.FormatInt(c.MaxFileSize, 10)}
	if c.StdoutFIFO != "" {
		args = append(args, "-stdout-fifo", c.StdoutFIFO)
	}
	if c.StderrFIFO != "" {
		args = append(args, "-stderr-fifo", c.StderrFIFO)
	}
	return args
}

// Main is the entry point of `yurt logmon`: it parses args and runs until
// SIGTERM.
func Main(args []string) error {
	fs := flag.NewFlagSet("logmon", flag.ContinueOnError)
	var c Config
	fs.StringVar(&c.Dir, "dir", "", "task directory")
	fs.IntVar(&c.MaxFiles, "max-files", 10, "files kept per stream")
	fs.Int64Var(&c.MaxFileSize, "max-file-size", 10<<20, "bytes per file")
	fs.StringVar(&c.StdoutFIFO, "stdout-fifo", "", "stdout FIFO path (default <dir>/stdout.fifo)")
	fs.StringVar(&c.StderrFIFO, "stderr-fifo", "", "stderr FIFO path (default <dir>/stderr.fifo)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.Dir == "" {
		return errors.New("logmon: -dir is required")
	}
	signal.Ignore(syscall.SIGINT, syscall.SIGHUP, syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	return Run(ctx, c)
}

// Run collects until ctx is done, then drains and returns.
func Run(ctx context.Context, c Config) error {
	if err := os.MkdirAll(LogDir(c.Dir), 0o700); err != nil {
		return fmt.Errorf("logmon: %w", err)
	}
	var wg sync.WaitGroup
	var holds []*os.File
	var readers []*os.File
	errs := make(chan error, len(Streams))
	for _, s := range Streams {
		path := c.FIFOPath(s)
		if err := syscall.Mkfifo(path, 0o600); err != nil && !errors.Is(err, syscall.EEXIST) {
			return fmt.Errorf("logmon: mkfifo %s: %w", path, err)
		}
		if st, err := os.Stat(path); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
			return fmt.Errorf("logmon: %s exists and is not a FIFO", path)
		}
		// Non-blocking open of the read end never waits for a writer; the
		// poller then parks reads until data arrives.
		r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return fmt.Errorf("logmon: open %s: %w", path, err)
		}
		w, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("logmon: open %s for writing: %w", path, err)
		}
		rot, err := NewRotator(LogDir(c.Dir), s, c.MaxFiles, c.MaxFileSize)
		if err != nil {
			return err
		}
		holds, readers = append(holds, w), append(readers, r)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer rot.Close()
			_, err := io.Copy(rot, r)
			if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
				errs <- fmt.Errorf("logmon: %s: %w", s, err)
			}
		}()
	}
	if err := writeFileAtomic(filepath.Join(c.Dir, pidFile), []byte(strconv.Itoa(os.Getpid())+"\n")); err != nil {
		return err
	}
	<-ctx.Done()
	for _, w := range holds {
		w.Close()
	}
	for _, r := range readers {
		r.SetReadDeadline(time.Now().Add(drainTimeout))
	}
	wg.Wait()
	os.Remove(filepath.Join(c.Dir, pidFile))
	close(errs)
	return <-errs
}

func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("logmon: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("logmon: %w", err)
	}
	return nil
}

// Start launches a collector process for c: command is the program and the
// arguments that select the logmon entry point (e.g. [yurt, "logmon"]). It
// returns once the FIFOs exist and the pid file is written. The process runs
// in its own session, so signals to the agent's process group miss it.
func Start(command []string, c Config) (pid int, err error) {
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return 0, fmt.Errorf("logmon: %w", err)
	}
	if pid, ok := Running(c.Dir); ok {
		return pid, nil
	}
	os.Remove(filepath.Join(c.Dir, pidFile))
	logf, err := os.OpenFile(filepath.Join(c.Dir, logFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return 0, fmt.Errorf("logmon: %w", err)
	}
	defer logf.Close()
	var attr os.ProcAttr
	attr.Files = []*os.File{nil, logf, logf}
	attr.Sys = &syscall.SysProcAttr{Setsid: true}
	proc, err := os.StartProcess(command[0], append(append([]string{}, command...), c.Args()...), &attr)
	if err != nil {
		return 0, fmt.Errorf("logmon: start %s: %w", command[0], err)
	}
	exited := make(chan error, 1)
	go func() {
		st, err := proc.Wait() // reap it if it exits while we live
		if err == nil && !st.Success() {
			err = errors.New(st.String())
		}
		exited <- err
	}()
	deadline := time.After(10 * time.Second)
	for {
		if p, ok := Running(c.Dir); ok && p == proc.Pid {
			return p, nil
		}
		select {
		case err := <-exited:
			out, _ := os.ReadFile(filepath.Join(c.Dir, logFile))
			return 0, fmt.Errorf("logmon: collector exited at start (%v): %s", err, strings.TrimSpace(string(out)))
		case <-deadline:
			proc.Kill()
			return 0, fmt.Errorf("logmon: collector for %s not ready after 10s", c.Dir)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Running returns the collector's pid from its pid file if that process is
// alive and is a logmon (guarding against pid reuse).
func Running(dir string) (int, bool) {
	b, err := os.ReadFile(filepath.Join(dir, pidFile))
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	if err := syscall.Kill(pid, 0); err != nil {
		return 0, false
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !strings.Contains(string(cmdline), "logmon") {
		return 0, false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err == nil {
		// A zombie still answers kill(0) but collects nothing.
		if i := strings.LastIndexByte(string(stat), ')'); i > 0 && len(stat) > i+2 && stat[i+2] == 'Z' {
			return 0, false
		}
	}
	return pid, true
}

// Stop sends SIGTERM to the collector of dir and waits for it to drain and
// exit, up to timeout.
func Stop(dir string, timeout time.Duration) error {
	pid, ok := Running(dir)
	if !ok {
		return nil
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return fmt.Errorf("logmon: signal %d: %w", pid, err)
	}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if _, ok := Running(dir); !ok {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	syscall.Kill(pid, syscall.SIGKILL)
	return fmt.Errorf("logmon: collector %d did not exit within %s; killed", pid, timeout)
}
