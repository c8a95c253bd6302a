package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"golang.org/x/sys/unix"

	"github.com/yurt-sdk/yurt/go/api"
)

type clientFlags struct {
	address string
	json    bool
}

// clientOpts are the flags of the commands that talk to the agent.
type clientOpts struct {
	clientFlags
	follow, useStderr, tty, progress bool
}

// clientSetup defines the flags of the client command name: -address for
// all, -json for those that print something, and the command's own.
func clientSetup(name string) func(fs *flag.FlagSet, o cmdIO) func([]string) error {
	return func(fs *flag.FlagSet, o cmdIO) func([]string) error {
		var f clientOpts
		fs.StringVar(&f.address, "address", "", "agent socket path (default $YURT_ADDR, then ~/.yurt/agent-address)")
		if name != "exec" {
			fs.BoolVar(&f.json, "json", false, "print JSON (errors too: {\"error\", \"code\", \"status\"})")
		}
		switch name {
		case "logs":
			fs.BoolVar(&f.follow, "f", false, "follow the log until the task ends")
			fs.BoolVar(&f.useStderr, "stderr", false, "show stderr instead of stdout")
		case "events":
			fs.BoolVar(&f.follow, "f", false, "follow: keep printing new events")
		case "exec":
			fs.BoolVar(&f.tty, "t", false, "allocate a terminal")
		case "stop":
			fs.BoolVar(&f.progress, "progress", false, "show progress on stderr while waiting (default when stderr is a terminal)")
		}
		return func(pos []string) error {
			err := clientCommand(name, pos, f, o.stdout, o.stderr)
			if err != nil && f.json {
				return writeJSONError(o.stdout, err)
			}
			return err
		}
	}
}

func bytesStr(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func exitStr(t api.Task) string {
	if t.ExitCode == nil {
		return "-"
	}
	s := fmt.Sprint(*t.ExitCode)
	if t.Signal != 0 {
		s += fmt.Sprintf(" (signal %d)", t.Signal)
	}
	return s
}

func printTasks(w io.Writer, ts []api.Task) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tID\tDRIVER\tSTATE\tEXIT\tCREATED\tERROR")
	for _, t := range ts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.Name, t.ID, t.Driver, t.State, exitStr(t), t.CreatedAt.Local().Format("15:04:05"), stripRPC(t.Error))
	}
	tw.Flush()
}

func printTask(w io.Writer, t api.Task) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Name\t%s\nID\t%s\nDriver\t%s\nState\t%s\nExit code\t%s\nFile\t%s\nTask dir\t%s\nCreated\t%s\n", t.Name, t.ID, t.Driver, t.State, exitStr(t), t.File, t.TaskDir, t.CreatedAt.Local().Format(time.RFC3339))
	if t.AllocDir != "" {
		fmt.Fprintf(tw, "Alloc ID\t%s\nAlloc dir\t%s\nDriver task ID\t%s\n", t.AllocID, t.AllocDir, t.DriverTaskID)
	}
	if t.FinishedAt != nil {
		fmt.Fprintf(tw, "Finished\t%s\n", t.FinishedAt.Local().Format(time.RFC3339))
	}
	if len(t.Devices) > 0 {
		var parts []string
		for p, ids := range t.Devices {
			parts = append(parts, p+": "+strings.Join(ids, ","))
		}
		sort.Strings(parts)
		fmt.Fprintf(tw, "Devices\t%s\n", strings.Join(parts, "; "))
	}
	if t.Error != "" {
		fmt.Fprintf(tw, "Error\t%s\n", stripRPC(t.Error))
	}
	tw.Flush()
}

// followLogs prints a task's log; with follow it keeps going until the task
// ends, reconnecting (from where it stopped) if the agent restarts.
// With asJSON every chunk is printed as an api.LogFrame line.
func followLogs(ctx context.Context, c *api.Client, ref, stream string, follow, asJSON bool, stdout, stderr io.Writer) error {
	var pos *api.LogFrame
	var lastOK time.Time
	enc := json.NewEncoder(stdout)
	for {
		err := c.Logs(ctx, ref, stream, follow, pos, func(f api.LogFrame) error {
			var err error
			if asJSON {
				err = enc.Encode(f)
			} else {
				_, err = stdout.Write(f.Data)
			}
			if err != nil {
				return err
			}
			pos = &api.LogFrame{Index: f.Index, Offset: f.Offset}
			return nil
		})
		if !follow || ctx.Err() != nil {
			return err
		}
		if err == nil || api.IsNotFound(err) {
			if err != nil {
				return err
			}
			t, terr := c.Task(ctx, ref)
			if terr == nil && t.Terminal() {
				return nil
			}
			if terr == nil {
				lastOK = time.Now()
			}
		} else if lastOK.IsZero() {
			lastOK = time.Now()
		}
		var se *api.StatusError
		if errors.As(err, &se) {
			return err
		}
		if time.Since(lastOK) > 2*time.Minute {
			return fmt.Errorf("lost the agent: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(300 * time.Millisecond):
		}
	}
}

func execCommand(ctx context.Context, c *api.Client, ref string, command []string, tty bool, stdout, stderr io.Writer) error {
	req := api.ExecRequest{Command: command, TTY: tty}
	fd := int(os.Stdin.Fd())
	isTerm := false
	if tty {
		if ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ); err == nil {
			isTerm = true
			req.Width, req.Height = int32(ws.Col), int32(ws.Row)
		}
	}
	s, err := c.Exec(ctx, ref, req)
	if err != nil {
		return err
	}
	defer s.Close()
	if isTerm {
		restore, err := makeRaw(fd)
		if err != nil {
			return err
		}
		defer restore()
		winch := make(chan os.Signal, 1)
		signal.Notify(winch, syscall.SIGWINCH)
		defer signal.Stop(winch)
		go func() {
			for range winch {
				if ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ); err == nil {
					_ = s.Send(api.ExecInput{Width: int32(ws.Col), Height: int32(ws.Row)})
				}
			}
		}()
	}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := os.Stdin.Read(buf)
			if n > 0 {
				if s.Send(api.ExecInput{Stdin: append([]byte(nil), buf[:n]...)}) != nil {
					return
				}
			}
			if err != nil {
				_ = s.Send(api.ExecInput{Close: true})
				return
			}
		}
	}()
	go func() {
		<-ctx.Done()
		s.Close()
	}()
	for {
		o, err := s.Recv()
		if err != nil {
			if ctx.Err() != nil {
				return exitError{130}
			}
			return fmt.Errorf("exec stream: %w", err)
		}
		if len(o.Stdout) > 0 {
			stdout.Write(o.Stdout)
		}
		if len(o.Stderr) > 0 {
			stderr.Write(o.Stderr)
		}
		if o.Exited {
			if o.Error != "" {
				return errors.New(stripRPC(o.Error))
			}
			if o.ExitCode != 0 {
				return exitError{o.ExitCode}
			}
			return nil
		}
	}
}

// makeRaw puts the terminal in raw mode (as cfmakeraw does) and returns a
// function that restores it.
func makeRaw(fd int) (func(), error) {
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return nil, fmt.Errorf("terminal: %w", err)
	}
	raw := *old
	raw.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	raw.Oflag &^= unix.OPOST
	raw.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	raw.Cflag &^= unix.CSIZE | unix.PARENB
	raw.Cflag |= unix.CS8
	raw.Cc[unix.VMIN], raw.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &raw); err != nil {
		return nil, fmt.Errorf("terminal: %w", err)
	}
	return func() { _ = unix.IoctlSetTermios(fd, unix.TCSETS, old) }, nil
}

// printStats shows CPU as `nomad alloc status -stats` does (command/
// alloc_status.go): "<floor(total_ticks)>/<cpu limit> MHz" and the
// percentages of one core, with two decimals.
func printStats(stdout io.Writer, s api.Stats) {
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	mhz := fmt.Sprintf("%v/%d MHz", math.Floor(s.CPUTotalTicks), s.CPULimitMHz)
	if !slices.Contains(s.CPUMeasured, "TOTAL_TICKS") {
		mhz += " (total_ticks not measured by the driver)"
	}
	fmt.Fprintf(w, "Task\t%s\nTime\t%s\nCPU\t%s\nCPU %%\t%.2f%% (user %.2f%%, system %.2f%%)\n", s.TaskID, s.Timestamp.Format(time.RFC3339), mhz, s.CPUPercent, s.CPUUserMode, s.CPUSystemMode)
	fmt.Fprintf(w, "Memory\trss %s, usage %s, max %s, swap %s\nPids\t%d\nMeasured\tcpu [%s] memory [%s]\n", bytesStr(s.MemoryRSS), bytesStr(s.MemoryUsage), bytesStr(s.MemoryMaxUsage), bytesStr(s.MemorySwap), s.Pids, strings.Join(s.CPUMeasured, " "), strings.Join(s.MemoryMeasured, " "))
	w.Flush()
}
