// Command nvidia-gpu-probe drives a device plugin the way a Nomad client does and writes what it
// answers as evidence: it launches the plugin with go-plugin (through Yurt's host library), sends
// the plugin config through the plugin's own ConfigSchema, takes the first Fingerprint, a few
// Stats samples, and a Reserve of every fingerprinted device and of an unknown ID.
//
// It exits 1 when the plugin breaks the device contract (no fingerprint, stats missing a
// fingerprinted device, Reserve of a fingerprinted ID failing or of an unknown ID succeeding,
// fewer devices than --min-devices) and 2 on bad usage.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/gen/structspb"
	"github.com/yurt-sdk/yurt/go/host"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
)

type probe struct {
	out      string
	failures []string
	summary  []string
}

func (p *probe) failf(format string, a ...any) {
	p.failures = append(p.failures, fmt.Sprintf(format, a...))
}

func (p *probe) notef(format string, a ...any) {
	p.summary = append(p.summary, fmt.Sprintf(format, a...))
}

func (p *probe) writeJSON(name string, msgs ...proto.Message) error {
	var parts []string
	for _, m := range msgs {
		b, err := protojson.MarshalOptions{Multiline: true, Indent: "  ", EmitUnpopulated: true}.Marshal(m)
		if err != nil {
			return fmt.Errorf("encoding %s: %w", name, err)
		}
		parts = append(parts, string(b))
	}
	text := strings.Join(parts, ",\n")
	if len(msgs) != 1 {
		text = "[\n" + text + "\n]"
	}
	return os.WriteFile(filepath.Join(p.out, name), []byte(text+"\n"), 0o644)
}

func main() {
	plugin := flag.String("plugin", "", "plugin executable (required)")
	config := flag.String("config", "", "HCL body of the plugin's config block")
	out := flag.String("out", ".", "directory for the evidence files")
	samples := flag.Int("stats-samples", 3, "Stats messages to collect")
	interval := flag.Duration("stats-interval", time.Second, "Stats collection interval")
	minDevices := flag.Int("min-devices", 0, "fail when fewer devices are fingerprinted")
	timeout := flag.Duration("timeout", 60*time.Second, "overall time limit")
	flag.Parse()
	if *plugin == "" || *samples < 1 {
		fmt.Fprintln(os.Stderr, "usage: nvidia-gpu-probe --plugin PATH [--config FILE] [--out DIR] [--stats-samples N] [--stats-interval D] [--min-devices N]")
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "probe: creating --out %s: %v\n", *out, err)
		os.Exit(2)
	}
	p := &probe{out: *out}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := p.run(ctx, *plugin, *config, *samples, *interval, *minDevices); err != nil {
		p.failf("%v", err)
	}
	verdict := "PASS"
	if len(p.failures) > 0 {
		verdict = "FAIL"
	}
	lines := append([]string{}, p.summary...)
	for _, f := range p.failures {
		lines = append(lines, "FAILURE: "+f)
	}
	lines = append(lines, "probe: "+verdict)
	text := strings.Join(lines, "\n") + "\n"
	fmt.Print(text)
	_ = os.WriteFile(filepath.Join(*out, "probe-summary.txt"), []byte(text), 0o644)
	if verdict != "PASS" {
		os.Exit(1)
	}
}

// attrString prints an attribute as value and unit, e.g. "81559 MiB".
func attrString(a *structspb.Attribute) string {
	var v string
	switch x := a.GetValue().(type) {
	case *structspb.Attribute_IntVal:
		v = fmt.Sprint(x.IntVal)
	case *structspb.Attribute_FloatVal:
		v = fmt.Sprint(x.FloatVal)
	case *structspb.Attribute_StringVal:
		v = fmt.Sprintf("%q", x.StringVal)
	case *structspb.Attribute_BoolVal:
		v = fmt.Sprint(x.BoolVal)
	default:
		v = "<none>"
	}
	if a.GetUnit() != "" {
		v += " " + a.GetUnit()
	}
	return v
}

func (p *probe) run(ctx context.Context, path, configFile string, samples int, interval time.Duration, minDevices int) error {
	stderr, err := os.Create(filepath.Join(p.out, "plugin-stderr.log"))
	if err != nil {
		return fmt.Errorf("creating plugin-stderr.log: %w", err)
	}
	defer stderr.Close()
	// The host passes only an allow-list of its environment to a plugin; the
	// plugin's own NVML override is forwarded on purpose.
	var env []string
	if lib := os.Getenv("YURT_NVML_LIBRARY"); lib != "" {
		env = append(env, "YURT_NVML_LIBRARY="+lib)
	}
	pl, err := host.Launch(ctx, host.Options{Path: path, Env: env, Stderr: stderr, StartTimeout: 20 * time.Second})
	if err != nil {
		return fmt.Errorf("launching %s: %w", path, err)
	}
	defer pl.Kill()

	info, err := pl.PluginInfo(ctx)
	if err != nil {
		return fmt.Errorf("PluginInfo: %w", err)
	}
	p.notef("plugin: %s %s (%s), api %v", info.Name, info.PluginVersion, info.Type, info.APIVersions)

	var src []byte
	if configFile != "" {
		if src, err = os.ReadFile(configFile); err != nil {
			return fmt.Errorf("reading --config: %w", err)
		}
	}
	spec, err := pl.ConfigSchema(ctx)
	if err != nil {
		return fmt.Errorf("ConfigSchema: %w", err)
	}
	mp, err := host.ConfigMsgpack(spec, src, configFile)
	if err != nil {
		return fmt.Errorf("decoding %s through the plugin's schema: %w", configFile, err)
	}
	if err := pl.SetConfig(ctx, host.SetConfigRequest{Msgpack: mp}); err != nil {
		return err
	}

	// The probe records the plugin's replies as they are on the wire
	// (protojson evidence), so it calls the raw device client on the
	// connection the host made.
	dev := pl.Device()
	raw := devicepb.NewDevicePluginClient(dev.Conn())
	fctx, fcancel := context.WithTimeout(ctx, 10*time.Second)
	defer fcancel()
	fs, err := raw.Fingerprint(fctx, &devicepb.FingerprintRequest{})
	if err != nil {
		return err
	}
	fp, err := fs.Recv()
	if err != nil {
		return fmt.Errorf("first fingerprint within 10 s: %w", err)
	}
	if err := p.writeJSON("fingerprint.json", fp); err != nil {
		return err
	}
	var ids []string
	for _, g := range fp.GetDeviceGroup() {
		var healthy int
		for _, d := range g.GetDevices() {
			ids = append(ids, d.GetID())
			if d.GetHealthy() {
				healthy++
			}
		}
		var attrs []string
		for k, a := range g.GetAttributes() {
			attrs = append(attrs, k+"="+attrString(a))
		}
		sort.Strings(attrs)
		p.notef("group %s/%s/%s: %d devices, %d healthy; %s", g.GetVendor(), g.GetDeviceType(), g.GetDeviceName(), len(g.GetDevices()), healthy, strings.Join(attrs, " "))
	}
	sort.Strings(ids)
	p.notef("fingerprint: %d devices %v", len(ids), ids)
	if len(ids) < minDevices {
		p.failf("fingerprint: expected at least %d devices, got %d", minDevices, len(ids))
	}

	sctx, scancel := context.WithTimeout(ctx, time.Duration(samples+5)*interval+10*time.Second)
	defer scancel()
	ss, err := raw.Stats(sctx, &devicepb.StatsRequest{CollectionInterval: durationpb.New(interval)})
	if err != nil {
		return err
	}
	var msgs []proto.Message
	start := time.Now()
	for i := 0; i < samples; i++ {
		m, err := ss.Recv()
		if err != nil {
			return fmt.Errorf("stats message %d of %d: %w", i+1, samples, err)
		}
		msgs = append(msgs, m)
		have := map[string]bool{}
		for _, g := range m.GetGroups() {
			for id := range g.GetInstanceStats() {
				have[id] = true
			}
		}
		for _, id := range ids {
			if !have[id] {
				p.failf("stats message %d: no stats for device %s", i+1, id)
			}
		}
	}
	scancel()
	if err := p.writeJSON("stats.json", msgs...); err != nil {
		return err
	}
	p.notef("stats: %d messages at %v in %v", samples, interval, time.Since(start).Round(time.Millisecond))

	if len(ids) > 0 {
		reply, err := raw.Reserve(ctx, &devicepb.ReserveRequest{DeviceIds: ids})
		res := reply.GetContainerRes()
		if err != nil {
			p.failf("Reserve of fingerprinted devices %v: %v", ids, err)
		} else {
			if err := p.writeJSON("reserve.json", res); err != nil {
				return err
			}
			var nodes []string
			for _, d := range res.GetDevices() {
				nodes = append(nodes, d.GetHostPath())
			}
			p.notef("reserve: NVIDIA_VISIBLE_DEVICES=%s devices %v", res.GetEnvs()["NVIDIA_VISIBLE_DEVICES"], nodes)
			for _, n := range nodes {
				if _, err := os.Stat(n); err != nil {
					p.notef("reserve: note: device node %s is not present here: %v", n, err)
				}
			}
		}
	}
	_, err = raw.Reserve(ctx, &devicepb.ReserveRequest{DeviceIds: []string{"GPU-probe-no-such-device"}})
	if err == nil {
		p.failf("Reserve of an unknown ID: expected an error, got success")
	} else {
		p.notef("reserve unknown ID: error as expected: %v", err)
		_ = os.WriteFile(filepath.Join(p.out, "reserve-unknown.txt"), []byte(err.Error()+"\n"), 0o644)
	}
	return nil
}
