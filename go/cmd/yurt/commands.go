package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/yurt-sdk/yurt/go/logmon"
)

// command is one entry of the CLI's table: `yurt <name> [args]`. setup
// defines its flags on fs and returns the function that runs it with the
// positional arguments.
type command struct {
	name    string // "status", or two words: "plugin status"
	args    string // positional arguments, for the usage line
	summary string
	example string
	group   string
	// minArgs and maxArgs bound the positional arguments (-1: no maximum).
	minArgs, maxArgs int
	// taskRef: the first positional argument names a task (shell completion).
	taskRef bool
	hidden  bool
	// raw: the command parses its own arguments (setup gets fs but no
	// flags are parsed; run gets every argument).
	raw   bool
	setup func(fs *flag.FlagSet, io cmdIO) func(pos []string) error
}

// cmdIO is where a command writes.
type cmdIO struct{ stdout, stderr io.Writer }

var groups = []string{"Agent", "Tasks", "Plugins and devices", "Other"}

// commands is the CLI: one entry per command.
func commands() []command {
	return []command{
		{name: "agent", group: "Agent", summary: "run the daemon", maxArgs: 0,
			example: "yurt agent -dev -plugin-dir build/plugins", setup: agentSetup},
		{name: "run", args: "FILE", group: "Tasks", summary: "start the tasks of a task file", minArgs: 1, maxArgs: 1,
			example: "yurt run web.hcl", setup: clientSetup("run")},
		{name: "status", args: "[TASK]", group: "Tasks", summary: "list tasks, or show one", maxArgs: 1, taskRef: true,
			example: "yurt status web --json", setup: clientSetup("status")},
		{name: "logs", args: "TASK", group: "Tasks", summary: "print a task's output", minArgs: 1, maxArgs: 1, taskRef: true,
			example: "yurt logs -f -stderr web", setup: clientSetup("logs")},
		{name: "stop", args: "TASK", group: "Tasks", summary: "stop a task and wait for it to end", minArgs: 1, maxArgs: 1, taskRef: true,
			example: "yurt stop web", setup: clientSetup("stop")},
		{name: "signal", args: "TASK SIGNAL", group: "Tasks", summary: "send a signal to a task", minArgs: 2, maxArgs: 2, taskRef: true,
			example: "yurt signal web SIGHUP", setup: clientSetup("signal")},
		{name: "exec", args: "TASK -- CMD...", group: "Tasks", summary: "run a command in a task's context", minArgs: 2, maxArgs: -1, taskRef: true,
			example: "yurt exec -t web -- /bin/sh", setup: clientSetup("exec")},
		{name: "stats", args: "TASK", group: "Tasks", summary: "show a task's resource usage", minArgs: 1, maxArgs: 1, taskRef: true,
			example: "yurt stats web", setup: clientSetup("stats")},
		{name: "events", group: "Tasks", summary: "show the agent's events", maxArgs: 0,
			example: "yurt events -f", setup: clientSetup("events")},
		{name: "plugin status", group: "Plugins and devices", summary: "list plugins", maxArgs: 0,
			example: "yurt plugin status --json", setup: clientSetup("plugin status")},
		{name: "device status", group: "Plugins and devices", summary: "list devices and their reservations", maxArgs: 0,
			example: "yurt device status", setup: clientSetup("device status")},
		{name: "new", args: "driver|device NAME", group: "Plugins and devices", summary: "generate a plugin project: code, tests, conformance files, Makefile", minArgs: 2, maxArgs: 2,
			example: "yurt new driver my-driver --lang python --dir ./my-driver", setup: newSetup},
		{name: "version", group: "Other", summary: "print the version, commit and wire protocol", maxArgs: 0,
			example: "yurt version --json", setup: versionSetup},
		{name: "completion", args: "bash|zsh|fish", group: "Other", summary: "print a shell completion script", minArgs: 1, maxArgs: 1,
			example: "source <(yurt completion bash)", setup: completionSetup},
		{name: "logmon", hidden: true, raw: true, summary: "a standalone per-task log collector (older agents started one per task)",
			setup: func(*flag.FlagSet, cmdIO) func([]string) error { return logmon.Main }},
	}
}

// lookup finds the command args start with; it returns the command and the
// remaining arguments, or ok false.
func lookup(args []string) (command, []string, bool) {
	cmds := commands()
	for _, c := range cmds {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, args[len(words):], true
		}
	}
	return command{}, nil, false
}

// usageLine is "yurt NAME [flags] ARGS".
func (c command) usageLine() string {
	s := "yurt " + c.name + " [flags]"
	if c.args != "" {
		s += " " + c.args
	}
	return s
}

// writeHelp prints one command's help: usage, summary, its flags only and
// an example.
func (c command) writeHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: %s\n\n%s.\n", c.usageLine(), upperFirst(c.summary))
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
	if c.example != "" {
		fmt.Fprintf(w, "\nExample:\n  %s\n", c.example)
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// writeUsage lists the commands once, by group.
func writeUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: yurt <command> [flags] [args]")
	for _, g := range groups {
		fmt.Fprintf(w, "\n%s:\n", g)
		for _, c := range commands() {
			if c.group == g && !c.hidden {
				fmt.Fprintf(w, "  %-30s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
			}
		}
	}
	fmt.Fprint(w, `
Run "yurt <command> -h" for a command's flags and an example. Every command
that reads takes --json. Commands find the agent through -address, $YURT_ADDR,
or the address the last agent wrote to ~/.yurt/agent-address.
`)
}
