package main

import (
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/yurt-sdk/yurt/go/plugin/supervise"
)

// docSource is this package's doc comment, whose fault-switch table is the
// one list of switch names: main refuses a name it does not hold.
//
//go:embed doc.go
var docSource string

var faults = map[string]bool{}

func fault(name string) bool { return faults[name] }

// switchRow is one row of the doc's fault-switch table: a tab, a name, spaces.
var switchRow = regexp.MustCompile(`(?m)^//\t([a-z0-9-]+) +\S`)

// knownSwitches lists the fault switches of the doc's table.
func knownSwitches() map[string]bool {
	_, table, _ := strings.Cut(docSource, "# Fault switches")
	out := map[string]bool{}
	for _, m := range switchRow.FindAllStringSubmatch(table, -1) {
		out[m[1]] = true
	}
	return out
}

// parseSwitches sets faults from -fault and FAKEPLUGIN_FAULT.
func parseSwitches(lists ...string) error {
	known := knownSwitches()
	for _, list := range lists {
		for _, f := range strings.Split(list, ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			if !known[f] {
				return fmt.Errorf("fault switch %q: expected one of %s", f, strings.Join(sortedKeys(known), ", "))
			}
			faults[f] = true
		}
	}
	return nil
}

// pluginName is the name PluginInfo reports: -name, else the program's file
// name less a "yurt-" prefix.
var pluginName string

// logf writes one hclog JSON line to stderr (or a broken one under a fault).
func logf(level, format string, args ...interface{}) {
	msg := fmt.Sprintf(format, args...)
	switch {
	case fault("nonjson-logs"):
		fmt.Fprintf(os.Stderr, "%s [%s] %s\n", time.Now().Format(time.RFC3339), strings.ToUpper(level), msg)
	case fault("crashy-logs"):
		fmt.Fprintf(os.Stderr, "{\"@level\":%q,\"@message\":%d,\"@timestamp\":%q}\n", level, len(msg), time.Now().Format("2006-01-02T15:04:05.000000Z07:00"))
	default:
		b, _ := json.Marshal(map[string]string{"@level": level, "@message": msg, "@module": "fakeplugin",
			"@timestamp": time.Now().Format("2006-01-02T15:04:05.000000Z07:00")})
		fmt.Fprintf(os.Stderr, "%s\n", b)
	}
}

func main() {
	// Tasks run under go/plugin/supervise: this binary re-executed as
	// `fakeplugin yurt-supervise <state dir>` is their supervisor.
	supervise.Main()
	faultList := flag.String("fault", "", "comma-separated fault switches (see the package doc)")
	useTCP := flag.Bool("tcp", false, "listen on TCP 127.0.0.1 instead of a unix socket")
	name := flag.String("name", "", `the plugin's name (default: the program's file name less "yurt-")`)
	flag.Parse()
	if err := parseSwitches(*faultList, os.Getenv("FAKEPLUGIN_FAULT")); err != nil {
		fmt.Fprintln(os.Stderr, "fakeplugin:", err)
		os.Exit(2)
	}
	prog := filepath.Base(os.Args[0])
	mode := flag.Arg(0)
	if mode == "" && flag.NArg() == 0 {
		mode = "driver"
		if strings.Contains(prog, "device") {
			mode = "device"
		}
	}
	if (mode != "driver" && mode != "device") || flag.NArg() > 1 {
		fmt.Fprintf(os.Stderr, "usage: fakeplugin [-fault=...] [-tcp] [-name NAME] [driver|device] (got %q)\n", flag.Args())
		os.Exit(2)
	}
	pluginName = *name
	if pluginName == "" {
		pluginName = strings.TrimPrefix(prog, "yurt-")
	}
	if fault("bad-logs") {
		// Lines a host must survive: @message and @level of the wrong type,
		// then a good one.
		fmt.Fprintln(os.Stderr, `{"@level":"info","@message":123,"@timestamp":"2024-01-02T03:04:05.000000Z"}`)
		fmt.Fprintln(os.Stderr, `{"@level":7,"@message":"x","@timestamp":"2024-01-02T03:04:05.000000Z"}`)
		fmt.Fprintln(os.Stderr, `{"@level":"info","@message":"fine","@timestamp":"2024-01-02T03:04:05.000000Z"}`)
	}
	serve(mode, *useTCP)
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
