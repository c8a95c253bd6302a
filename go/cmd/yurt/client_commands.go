package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/signal"
	"path/filepath"
	"syscall"
	"text/tabwriter"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/config"
	"github.com/yurt-sdk/yurt/go/inputlimit"
)

// clientCall is one client command's context: the agent connection, its
// flags and where it prints.
type clientCall struct {
	ctx            context.Context
	c              *api.Client
	cf             clientOpts
	stdout, stderr io.Writer
}

// out prints v as JSON with -json, else calls human.
func (k *clientCall) out(v any, human func()) error {
	if k.cf.json {
		enc := json.NewEncoder(k.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	human()
	return nil
}

// clientCommands maps each command that talks to the agent to its function
// (positional arguments were checked by the command table in commands.go).
var clientCommands = map[string]func(k *clientCall, pos []string) error{
	"run":           clientRun,
	"status":        clientStatus,
	"logs":          clientLogs,
	"stop":          clientStop,
	"signal":        clientSignal,
	"exec":          clientExec,
	"stats":         clientStats,
	"events":        clientEvents,
	"plugin status": clientPluginStatus,
	"device status": clientDeviceStatus,
}

// clientCommand runs the client command cmd against the agent.
func clientCommand(cmd string, pos []string, cf clientOpts, stdout, stderr io.Writer) error {
	run, ok := clientCommands[cmd]
	if !ok {
		return usageError{"unknown command " + cmd}
	}
	c, err := newClient(cf.address)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return run(&clientCall{ctx: ctx, c: c, cf: cf, stdout: stdout, stderr: stderr}, pos)
}

// clientRun is `yurt run FILE`: it parses the task file here first, so that
// syntax errors need no agent, and fails when a task failed to start.
func clientRun(k *clientCall, pos []string) error {
	// The size is checked before reading, so that a huge file costs nothing.
	src, err := config.ReadFileLimited(pos[0], "task file", inputlimit.MaxTaskFileBytes)
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(pos[0])
	if _, err := config.ParseTasks(src, abs); err != nil {
		return err
	}
	resp, err := k.c.Run(k.ctx, api.RunRequest{File: abs, Source: string(src)})
	if err != nil {
		return err
	}
	if err := k.out(resp, func() { printTasks(k.stdout, resp.Tasks) }); err != nil {
		return err
	}
	for _, t := range resp.Tasks {
		if t.State == api.StateFailed {
			return exitError{1}
		}
	}
	return nil
}

// clientStatus is `yurt status [TASK]`.
func clientStatus(k *clientCall, pos []string) error {
	if len(pos) == 1 {
		t, err := k.c.Task(k.ctx, pos[0])
		if err != nil {
			return err
		}
		return k.out(t, func() { printTask(k.stdout, t) })
	}
	ts, err := k.c.Tasks(k.ctx)
	if err != nil {
		return err
	}
	return k.out(ts, func() { printTasks(k.stdout, ts) })
}

// clientLogs is `yurt logs [-f] [-stderr] TASK`.
func clientLogs(k *clientCall, pos []string) error {
	stream := "stdout"
	if k.cf.useStderr {
		stream = "stderr"
	}
	return followLogs(k.ctx, k.c, pos[0], stream, k.cf.follow, k.cf.json, k.stdout, k.stderr)
}

// clientStop is `yurt stop TASK`, with progress on stderr while it waits.
func clientStop(k *clientCall, pos []string) error {
	var stopProgress func()
	if k.cf.progress || isTerminal(k.stderr) {
		stopProgress = showStopProgress(k.ctx, k.c, pos[0], k.stderr)
	}
	t, err := k.c.Stop(k.ctx, pos[0])
	if stopProgress != nil {
		stopProgress()
	}
	if err != nil {
		return err
	}
	return k.out(t, func() { printTasks(k.stdout, []api.Task{t}) })
}

// clientSignal is `yurt signal TASK SIGNAL`.
func clientSignal(k *clientCall, pos []string) error {
	if _, err := config.ParseSignal(pos[1]); err != nil {
		return err
	}
	return k.c.Signal(k.ctx, pos[0], pos[1])
}

// clientExec is `yurt exec [-t] TASK CMD...`.
func clientExec(k *clientCall, pos []string) error {
	return execCommand(k.ctx, k.c, pos[0], pos[1:], k.cf.tty, k.stdout, k.stderr)
}

// clientStats is `yurt stats TASK`.
func clientStats(k *clientCall, pos []string) error {
	s, err := k.c.Stats(k.ctx, pos[0])
	if err != nil {
		return err
	}
	return k.out(s, func() { printStats(k.stdout, s) })
}

// clientEvents is `yurt events [-f]`: one line per event, or JSON lines.
func clientEvents(k *clientCall, _ []string) error {
	enc := json.NewEncoder(k.stdout)
	return k.c.Events(k.ctx, k.cf.follow, func(e api.Event) error {
		if k.cf.json {
			return enc.Encode(e)
		}
		who := e.Source
		if e.TaskName != "" {
			who += " " + e.TaskName
		}
		_, err := fmt.Fprintf(k.stdout, "%s  %-28s %s\n", e.Time.Local().Format("15:04:05.000"), who, e.Message)
		return err
	})
}

// clientPluginStatus is `yurt plugin status`.
func clientPluginStatus(k *clientCall, _ []string) error {
	ps, err := k.c.Plugins(k.ctx)
	if err != nil {
		return err
	}
	return k.out(ps, func() {
		w := tabwriter.NewWriter(k.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "FILE\tTYPE\tNAME\tVERSION\tSTATE\tHEALTH\tPID\tLAUNCHES\tREATTACHED\tERROR")
		for _, p := range ps {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%v\t%s\n", p.File, p.Type, p.Name, p.Version, p.State, p.Health, p.Pid, p.Launches, p.Reattached, p.Error)
		}
		w.Flush()
	})
}

// clientDeviceStatus is `yurt device status`.
func clientDeviceStatus(k *clientCall, _ []string) error {
	gs, err := k.c.Devices(k.ctx)
	if err != nil {
		return err
	}
	return k.out(gs, func() {
		w := tabwriter.NewWriter(k.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "DEVICE\tID\tHEALTHY\tRESERVED BY\tPLUGIN")
		for _, g := range gs {
			for _, d := range g.Devices {
				fmt.Fprintf(w, "%s/%s/%s\t%s\t%v\t%s\t%s\n", g.Vendor, g.Type, g.Name, d.ID, d.Healthy, d.ReservedBy, g.Plugin)
			}
		}
		w.Flush()
	})
}
