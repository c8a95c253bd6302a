package conformance

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// validUnits are the attribute units Nomad's structs.UnitIndex knows.
var validUnits = map[string]bool{}

func init() {
	for _, u := range []string{
		"B", "kB", "KB", "KiB", "MB", "MiB", "GB", "GiB", "TB", "TiB", "PB", "PiB", "EB", "EiB",
		"B/s", "kB/s", "KB/s", "KiB/s", "MB/s", "MiB/s", "GB/s", "GiB/s", "TB/s", "TiB/s", "PB/s", "PiB/s", "EB/s", "EiB/s",
		"b/s", "kb/s", "Kb/s", "Kib/s", "Mb/s", "Mib/s", "Gb/s", "Gib/s", "Tb/s", "Tib/s", "Pb/s", "Pib/s", "Eb/s", "Eib/s",
		"MHz", "GHz", "mW", "W", "kW", "MW", "GW",
	} {
		validUnits[u] = true
	}
}

// validAttribute applies Nomad's Attribute.Validate rules.
func validAttribute(a *base.Attribute) error {
	if a == nil || a.Kind == base.AttributeNone {
		return errors.New("expected exactly one of float_val, int_val, string_val, bool_val, got none")
	}
	if a.Unit == "" {
		return nil
	}
	switch a.Kind {
	case base.AttributeString, base.AttributeBool:
		return fmt.Errorf("unit %q: expected no unit on a string or bool value", a.Unit)
	}
	if !validUnits[a.Unit] {
		return fmt.Errorf("unit: expected one of Nomad's units (MiB, MHz, W, ...), got %q", a.Unit)
	}
	return nil
}

func deviceSession(t *T) (*host.Plugin, *host.Device) {
	p := configured(t, nil)
	return p, p.Device()
}

func firstDeviceFingerprint(t *T, d *host.Device) *device.FingerprintResponse {
	ctx, cancel := context.WithTimeout(t.Ctx, 5*time.Second)
	defer cancel()
	s, err := d.Fingerprint(ctx)
	t.Check(err, "device Fingerprint")
	fp, err := s.Recv()
	t.Check(err, "first device fingerprint within 5 s")
	return fp
}

func deviceIDs(fp *device.FingerprintResponse) []string {
	var ids []string
	for _, g := range fp.Groups {
		for _, d := range g.Devices {
			ids = append(ids, d.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

func deviceCases() []Case {
	return []Case{
		{ID: "device/fingerprint", Level: Required, Kind: DevicePlugin,
			Doc: "the first device Fingerprint arrives within 5 s",
			Run: caseDeviceFingerprint},
		{ID: "device/groups-valid", Level: Required, Kind: DevicePlugin,
			Doc: "device groups have vendor, type and name, unique non-empty IDs and valid attributes",
			Run: caseDeviceGroupsValid},
		{ID: "device/ids-stable", Level: Required, Kind: DevicePlugin,
			Doc: "device IDs are the same in a restarted plugin process",
			Run: caseDeviceIDsStable},
		{ID: "device/reserve", Level: Required, Kind: DevicePlugin,
			Doc: "Reserve of fingerprinted IDs succeeds; an unknown ID is an error",
			Run: caseDeviceReserve},
		{ID: "device/stats", Level: Required, Kind: DevicePlugin,
			Doc: "Stats covers every fingerprinted device (skipped when Stats answers Unimplemented: it is optional)",
			Run: caseDeviceStats},
		{ID: "device/stream-cancel", Level: Recommended, Kind: DevicePlugin,
			Doc: "cancelling Fingerprint and Stats streams ends them cleanly and the plugin keeps serving (Stats not judged when it answers Unimplemented: it is optional)",
			Run: caseDeviceStreamCancel},
	}
}

// caseDeviceFingerprint is case device/fingerprint.
func caseDeviceFingerprint(t *T) {
	_, d := deviceSession(t)
	fp := firstDeviceFingerprint(t, d)
	t.Logf("%d groups, devices %v", len(fp.Groups), deviceIDs(fp))
}

// caseDeviceGroupsValid is case device/groups-valid.
func caseDeviceGroupsValid(t *T) {
	_, d := deviceSession(t)
	fp := firstDeviceFingerprint(t, d)
	seen := map[string]bool{}
	for i, g := range fp.Groups {
		path := fmt.Sprintf("device_group[%d]", i)
		if g.Vendor == "" || g.Type == "" || g.Name == "" {
			t.Errorf("%s: expected vendor, device_type and device_name set, got %q/%q/%q", path, g.Vendor, g.Type, g.Name)
		}
		for j, dev := range g.Devices {
			if dev.ID == "" {
				t.Errorf("%s.devices[%d].ID: expected a non-empty ID", path, j)
			} else if seen[dev.ID] {
				t.Errorf("%s.devices[%d].ID: %q is not unique", path, j, dev.ID)
			}
			seen[dev.ID] = true
		}
		for k, a := range g.Attributes {
			if err := validAttribute(a); err != nil {
				t.Errorf("%s.attributes[%q]: %v", path, k, err)
			}
		}
	}
}

// caseDeviceIDsStable is case device/ids-stable.
func caseDeviceIDsStable(t *T) {
	p1, d1 := deviceSession(t)
	a := deviceIDs(firstDeviceFingerprint(t, d1))
	p1.Kill()
	_, d2 := deviceSession(t)
	b := deviceIDs(firstDeviceFingerprint(t, d2))
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("device IDs changed across restart: %v then %v", a, b)
	}
}

// caseDeviceReserve is case device/reserve.
func caseDeviceReserve(t *T) {
	_, d := deviceSession(t)
	ids := deviceIDs(firstDeviceFingerprint(t, d))
	if len(ids) == 0 {
		t.Skipf("not applicable: the plugin fingerprinted no devices")
	}
	_, err := d.Reserve(t.Ctx, ids[:1])
	t.Check(err, "Reserve %v", ids[:1])
	if _, err := d.Reserve(t.Ctx, []string{"conformance-no-such-device"}); err == nil {
		t.Errorf("Reserve of an unknown device ID: expected an error, got success")
	}
}

// caseDeviceStats is case device/stats.
func caseDeviceStats(t *T) {
	_, d := deviceSession(t)
	ids := deviceIDs(firstDeviceFingerprint(t, d))
	ctx, cancel := context.WithTimeout(t.Ctx, 5*time.Second)
	defer cancel()
	s, err := d.Stats(ctx, 200*time.Millisecond)
	skipIfUnimplemented(t, "device Stats", deviceOptionalTable, err)
	t.Check(err, "Stats")
	m, err := s.Recv()
	skipIfUnimplemented(t, "device Stats", deviceOptionalTable, err)
	t.Check(err, "first Stats message within 5 s")
	have := map[string]bool{}
	for _, g := range m.Groups {
		for id := range g.InstanceStats {
			have[id] = true
		}
	}
	for _, id := range ids {
		if !have[id] {
			t.Errorf("Stats: expected stats for device %q, got none", id)
		}
	}
}

// caseDeviceStreamCancel is case device/stream-cancel.
func caseDeviceStreamCancel(t *T) {
	p, d := deviceSession(t)
	for name, open := range map[string]func(context.Context) (interface{ Recv() error }, error){
		"Fingerprint": func(ctx context.Context) (interface{ Recv() error }, error) {
			s, err := d.Fingerprint(ctx)
			return recvOnly[*device.FingerprintResponse]{s}, err
		},
		"Stats": func(ctx context.Context) (interface{ Recv() error }, error) {
			s, err := d.Stats(ctx, 100*time.Millisecond)
			return recvOnly[*device.StatsResponse]{s}, err
		},
	} {
		ctx, cancel := context.WithCancel(t.Ctx)
		s, err := open(ctx)
		if err == nil {
			err = s.Recv()
		}
		if name == "Stats" && host.IsUnimplemented(err) {
			// Optional: nothing to cancel; Fingerprint is still judged.
			t.Logf("Stats answers Unimplemented, not checked: it is optional (%s)", deviceOptionalTable)
			cancel()
			continue
		}
		t.Check(err, "opening %s and its first message", name)
		cancel()
		done := make(chan error, 1)
		go func() {
			for {
				if err := s.Recv(); err != nil {
					done <- err
					return
				}
			}
		}()
		select {
		case err := <-done:
			if status.Code(err) != codes.Canceled {
				t.Errorf("%s after cancel: expected Canceled, got %v", name, err)
			}
		case <-time.After(2 * time.Second):
			t.Errorf("%s did not end within 2 s of cancel", name)
		}
	}
	if _, err := p.PluginInfo(t.Ctx); err != nil {
		t.Errorf("plugin not serving after cancelled streams: %v", err)
	}
}

type recvOnly[T any] struct{ r host.Receiver[T] }

func (r recvOnly[T]) Recv() error {
	if r.r == nil {
		return errors.New("no stream")
	}
	_, err := r.r.Recv()
	return err
}
