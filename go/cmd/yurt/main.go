// Command yurt is the single-machine host for Nomad task-driver and device
// plugins: `yurt agent` runs the daemon, the other subcommands talk to it
// over its unix socket. `yurt logmon` is a standalone per-task log collector
// (hidden): older agents started one per task; the agent now collects logs
// itself (go/logmon/collector.go) and stops any such process it finds.
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
	"github.com/yurt-sdk/yurt/go/buildinfo"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	o := cmdIO{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		writeUsage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		writeUsage(stdout)
		return 0
	case "help":
		if len(args) == 1 {
			writeUsage(stdout)
			return 0
		}
		c, _, ok := lookup(args[1:])
		if !ok {
			fmt.Fprintf(stderr, "yurt help: unknown command %q; run `yurt -h` for the list\n", strings.Join(args[1:], " "))
			return 2
		}
		fs := newFlagSet(c)
		c.setup(fs, o)
		c.writeHelp(stdout, fs)
		return 0
	case "-version", "--version":
		asJSON := len(args) > 1 && (args[1] == "-json" || args[1] == "--json")
		if err := buildinfo.Get("yurt").Write(stdout, asJSON); err != nil {
			return 1
		}
		return 0
	}
	c, rest, ok := lookup(args)
	if !ok {
		msg := fmt.Sprintf("unknown command %q; run `yurt -h` for the list", args[0])
		if args[0] == "plugin" || args[0] == "device" {
			msg = fmt.Sprintf("yurt %s: expected `yurt %s status`", args[0], args[0])
		}
		fmt.Fprintf(stderr, "yurt: %s\n", msg)
		return 2
	}
	err := runCommand(c, rest, o)
	var ee exitError
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "yurt: %s\nusage: %s\nRun `yurt %s -h` for its flags and an example.\n", ue.msg, c.usageLine(), c.name)
		return 2
	default:
		fmt.Fprintf(stderr, "yurt %s: %s\n", c.name, userMessage(err))
		return 1
	}
}

func newFlagSet(c command) *flag.FlagSet {
	fs := flag.NewFlagSet("yurt "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// runCommand parses c's flags and positional arguments and runs it; -h
// prints c's help on stdout.
func runCommand(c command, args []string, o cmdIO) error {
	fs := newFlagSet(c)
	runFn := c.setup(fs, o)
	if c.raw {
		return runFn(args)
	}
	pos, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		c.writeHelp(o.stdout, fs)
		return nil
	}
	if err != nil {
		return usageError{fmt.Sprintf("yurt %s: %v", c.name, err)}
	}
	if len(pos) < c.minArgs || (c.maxArgs >= 0 && len(pos) > c.maxArgs) {
		return usageError{fmt.Sprintf("yurt %s: wrong number of arguments (%d)", c.name, len(pos))}
	}
	return runFn(pos)
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
