// Command hostile is a misbehaving plugin for the hardening tests. One
// binary plays every part; the part is chosen by the executable's file name
// ("hostile-<mode>"), so that the agent can load several copies from one
// plugin dir without plugin blocks. Where a mode gets past the handshake it
// is a device plugin named after its file, so that the rest of the agent
// can be checked to keep working around it.
//
// Modes:
//
//	exit       exits 3 at once, before the handshake
//	garbage    prints a line that is not a handshake, then waits
//	oversize   prints 16 MiB without a newline on stdout, then waits
//	preamble   prints a banner line on stdout, then a valid handshake
//	silent     prints nothing and never exits
//	hang       handshakes, then never answers PluginInfo
//	midstream  answers everything, but its fingerprint stream stalls after one message
//	huge       answers PluginInfo with a 64 MiB name
//	badjson    works, and logs hclog JSON with a number as @message and as @level
//	flood      works, and writes stderr as fast as the pipe takes it
//	env        works, after writing its environment to the file named by its first argument
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
)

// stderr is the process's real stderr pipe to the host. go-plugin's
// Serve replaces os.Stderr with a pipe that travels over the GRPCStdio
// stream, so the log-parser attacks write here instead.
var stderr = os.NewFile(uintptr(dupStderr()), "stderr")

func dupStderr() int {
	fd, err := syscall.Dup(2)
	if err != nil {
		return 2
	}
	return fd
}

func main() {
	name := filepath.Base(os.Args[0])
	mode := strings.TrimPrefix(name, "hostile-")
	if env := os.Getenv("HOSTILE_MODE"); env != "" {
		mode = env
	}
	switch mode {
	case "exit":
		fmt.Fprintln(os.Stderr, "hostile: exiting at once")
		os.Exit(3)
	case "garbage":
		fmt.Fprintln(os.Stdout, "HTTP/1.1 200 OK this is not a handshake")
		forever()
	case "oversize":
		chunk := strings.Repeat("A", 1<<20)
		for range 16 {
			if _, err := os.Stdout.WriteString(chunk); err != nil {
				break
			}
		}
		forever()
	case "preamble":
		fmt.Fprintln(os.Stdout, "starting hostile plugin v0.0.1 ...")
	case "silent":
		forever()
	case "badjson":
		go badJSON()
	case "flood":
		go flood()
	case "env":
		if len(os.Args) < 2 {
			fmt.Fprintln(os.Stderr, "hostile: mode env needs a file argument")
			os.Exit(2)
		}
		if err := os.WriteFile(os.Args[1], []byte(strings.Join(os.Environ(), "\x00")), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, "hostile:", err)
			os.Exit(2)
		}
	case "hang", "midstream", "huge":
	default:
		fmt.Fprintf(os.Stderr, "hostile: unknown mode %q (from the file name %q or HOSTILE_MODE)\n", mode, name)
		os.Exit(2)
	}
	plugin.ServeDevice(&dev{name: name, mode: mode})
}

func forever() {
	for {
		time.Sleep(time.Hour)
	}
}

// badJSON writes the lines that panic a bare go-plugin host: hclog JSON
// whose @message or @level is not a string (go-plugin #38).
func badJSON() {
	ts := func() string { return time.Now().UTC().Format("2006-01-02T15:04:05.000000Z07:00") }
	for i := 0; ; i++ {
		fmt.Fprintf(stderr, "{\"@level\":\"info\",\"@message\":%d,\"@timestamp\":%q}\n", i, ts())
		fmt.Fprintf(stderr, "{\"@level\":5,\"@message\":\"numeric level\",\"@timestamp\":%q}\n", ts())
		fmt.Fprintf(stderr, "{\"@level\":\"info\",\"@message\":\"numeric time\",\"@timestamp\":%d}\n", i)
		fmt.Fprintf(stderr, "{\"@level\":null,\"@message\":{\"nested\":[1,2]},\"@timestamp\":true}\n")
		fmt.Fprintln(stderr, "{\"@level\":\"info\",\"@message\":\"truncated")
		time.Sleep(20 * time.Millisecond)
	}
}

// flood fills stderr as fast as the host reads it, including lines far
// longer than go-plugin's 64 KiB buffer.
func flood() {
	line := []byte(strings.Repeat("flood ", 20) + "\n")
	long := []byte(strings.Repeat("L", 3<<20) + "\n")
	// 20 s of flood, then a trickle: enough to prove the point without
	// burning a core for the rest of a long test.
	until := time.Now().Add(20 * time.Second)
	for i := 0; ; i++ {
		if i%1000 == 0 && time.Now().After(until) {
			time.Sleep(100 * time.Millisecond)
		}
		if i%10000 == 0 {
			_, _ = stderr.Write(long)
		}
		_, _ = stderr.Write(line)
		if i%100 == 0 {
			// And some over the GRPCStdio stream as well.
			_, _ = os.Stderr.Write(line)
		}
	}
}

type dev struct {
	name, mode string
}

func (d *dev) PluginInfo(ctx context.Context) (*base.PluginInfo, error) {
	switch d.mode {
	case "hang":
		forever()
	case "huge":
		return &base.PluginInfo{Type: base.PluginTypeDevice, APIVersions: []string{base.APIVersion010}, Version: "0.0.1",
			Name: strings.Repeat("h", 64<<20)}, nil
	}
	return &base.PluginInfo{Type: base.PluginTypeDevice, APIVersions: []string{base.APIVersion010}, Version: "0.0.1", Name: d.name}, nil
}

func (d *dev) ConfigSchema(context.Context) (*hclspec.Spec, error) { return nil, nil }

func (d *dev) SetConfig(context.Context, *base.Config) error { return nil }

func (d *dev) Fingerprint(ctx context.Context) (<-chan *device.FingerprintResponse, error) {
	g := &device.DeviceGroup{Vendor: "hostile", Type: d.mode, Name: "x",
		Devices: []*device.Instance{{ID: d.mode + "-0", Healthy: true}}}
	ch := make(chan *device.FingerprintResponse, 1)
	ch <- &device.FingerprintResponse{Groups: []*device.DeviceGroup{g}}
	if d.mode == "midstream" {
		// One message, then the stream neither sends nor ends, whatever
		// the host does.
		return ch, nil
	}
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

func (d *dev) Reserve(_ context.Context, ids []string) (*device.ContainerReservation, error) {
	return &device.ContainerReservation{}, nil
}

func (d *dev) Stats(ctx context.Context, _ time.Duration) (<-chan *device.StatsResponse, error) {
	ch := make(chan *device.StatsResponse)
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}
