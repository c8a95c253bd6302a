// Command yurt is the single-machine host for Nomad task-driver and device
// plugins: `yurt agent` runs the daemon, the other subcommands talk to it
// over its unix socket, and `yurt logmon` is the per-task log collector the
// agent starts (not meant to be run by hand).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/logmon"
)

const usage = `usage: yurt <command> [flags] [args]

Agent:
  agent [-config FILE] [-dev] [-data-dir DIR] [-plugin-dir DIR]   run the daemon

Tasks:
  run FILE                      start the tasks of a task file
  status [TASK]                 list tasks, or show one
  logs [-f] [-stderr] TASK      print a task's output
  stop TASK                     stop a task and wait for it to end
  signal TASK SIGNAL            send a signal to a task
  exec [-t] TASK -- CMD...      run a command in a task's context
  stats TASK                    show a task's resource usage
  events [-f]                   show the agent's events

Plugins and devices:
  plugin status                 list plugins
  device status                 list devices and their reservations

Every command that reads takes --json. Commands find the agent through
-address, $YURT_ADDR, or the address the last agent wrote to ~/.yurt/agent-address.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "agent":
		err = cmdAgent(rest, stderr)
	case "logmon":
		err = logmon.Main(rest)
	case "run", "status", "logs", "stop", "signal", "exec", "stats", "events":
		err = clientCommand(cmd, rest, stdout, stderr)
	case "plugin", "device":
		if len(rest) == 0 || rest[0] != "status" {
			err = usageError{fmt.Sprintf("yurt %s: expected `yurt %s status`", cmd, cmd)}
		} else {
			err = clientCommand(cmd+" status", rest[1:], stdout, stderr)
		}
	default:
		err = usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
	var ee exitError
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "yurt: %s\n\n%s", ue.msg, usage)
		return 2
	case errors.Is(err, flag.ErrHelp):
		return 0
	default:
		fmt.Fprintf(stderr, "yurt %s: %v\n", cmd, err)
		return 1
	}
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// exitError carries an exit code without printing anything more.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// parseInterleaved lets flags appear before or after positional arguments;
// everything after "--" is positional.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if len(args) > 0 && args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		// fs.Parse swallows a "--" it meets; find out whether it did.
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func addressFile() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".yurt", "agent-address")
}

func resolveAddress(flagVal string) (string, error) {
	if flagVal != "" {
		return flagVal, nil
	}
	if v := os.Getenv("YURT_ADDR"); v != "" {
		return strings.TrimPrefix(v, "unix://"), nil
	}
	if f := addressFile(); f != "" {
		if b, err := os.ReadFile(f); err == nil && len(strings.TrimSpace(string(b))) > 0 {
			return strings.TrimPrefix(strings.TrimSpace(string(b)), "unix://"), nil
		}
	}
	return "", errors.New("no agent address: start `yurt agent`, then pass -address or set YURT_ADDR to its socket")
}

func newClient(addr string) (*api.Client, error) {
	a, err := resolveAddress(addr)
	if err != nil {
		return nil, err
	}
	return api.NewClient(a), nil
}
