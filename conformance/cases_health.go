package conformance

import (
	"context"
	"errors"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// holdOpen reads a stream until d passes; an end before that is an error.
func holdOpen(t *T, name string, d time.Duration, recv func() error) {
	end := make(chan error, 1)
	go func() {
		for {
			if err := recv(); err != nil {
				end <- err
				return
			}
		}
	}()
	select {
	case err := <-end:
		if errors.Is(err, io.EOF) {
			t.Errorf("the plugin closed the %s stream before the host cancelled it (Nomad's client then reopens it with backoff and treats the plugin as failing)", name)
		} else {
			t.Errorf("the %s stream ended before the host cancelled it: %v", name, err)
		}
	case <-time.After(d):
	}
}

func healthCases() []Case {
	return []Case{
		{ID: "base/set-config-empty", Level: Required, Kind: AnyPlugin,
			// Nomad sends this when the agent has no plugin block for the
			// plugin: the config decoded from an empty body, so schema
			// defaults only.
			Doc: "SetConfig with an empty plugin config (the schema's defaults only, as Nomad sends without a plugin block) is accepted, and the plugin then fingerprints",
			Run: caseBaseSetConfigEmpty},
		{ID: "driver/fingerprint-healthy", Level: Required, Kind: DriverPlugin,
			// Required: under its own conformance config the driver must be
			// usable; Nomad places no task on an undetected or unhealthy driver.
			Doc: "under its conformance config the driver fingerprints HEALTHY (UNDETECTED or UNHEALTHY fails: nothing after that can be trusted)",
			Run: caseDriverFingerprintHealthy},
		{ID: "driver/streams-stay-open", Level: Required, Kind: DriverPlugin,
			Doc: "the Fingerprint stream and a running task's TaskStats stream stay open until the host cancels them (TaskStats not judged when it answers Unimplemented: it is optional)",
			Run: caseDriverStreamsStayOpen},
		{ID: "device/fingerprint-healthy", Level: Required, Kind: DevicePlugin,
			Doc: "under its conformance config the device plugin fingerprints at least one device, and every device is healthy",
			Run: caseDeviceFingerprintHealthy},
		{ID: "device/streams-stay-open", Level: Required, Kind: DevicePlugin,
			Doc: "the device Fingerprint and Stats streams stay open until the host cancels them (Stats not judged when it answers Unimplemented: it is optional)",
			Run: caseDeviceStreamsStayOpen},
		{ID: "driver/env", Level: Required, Kind: DriverPlugin,
			// Nomad puts device_env both on top of env and in device_env
			// (client/taskenv/env.go); raw_exec hands the task env only.
			Doc: "every entry of TaskConfig env (Nomad's task env, the job's with spaces, '=', quotes, unicode and empty values, and the device env on top) and device_env reaches the task exactly",
			Run: caseDriverEnv},
	}
}

// caseBaseSetConfigEmpty is case base/set-config-empty.
func caseBaseSetConfigEmpty(t *T) {
	p := t.Launch(nil)
	spec, err := p.ConfigSchema(t.Ctx)
	t.Check(err, "ConfigSchema")
	b, err := host.ConfigMsgpack(spec, nil, "empty plugin block")
	if err != nil {
		t.Skipf("not applicable: the config schema requires attributes an empty plugin block lacks: %v", err)
	}
	t.Check(p.SetConfig(t.Ctx, setConfigRequest(t, b)), "SetConfig with an empty plugin config (defaults only)")
	ctx, cancel := context.WithTimeout(t.Ctx, 10*time.Second)
	defer cancel()
	if t.H.info.Type == host.PluginTypeDevice {
		s, err := p.Device().Fingerprint(ctx)
		t.Check(err, "device Fingerprint after the default config")
		_, err = s.Recv()
		t.Check(err, "first device fingerprint after the default config")
		return
	}
	s, err := p.Driver().Fingerprint(ctx)
	t.Check(err, "Fingerprint after the default config")
	fp, err := s.Recv()
	t.Check(err, "first fingerprint after the default config")
	t.Logf("health with the default config: %s %q", healthName(fp.Health), fp.HealthDescription)
}

// caseDriverFingerprintHealthy is case driver/fingerprint-healthy.
func caseDriverFingerprintHealthy(t *T) {
	_, d := driverSession(t)
	ctx, cancel := waitCtx(t, 10*time.Second)
	defer cancel()
	s, err := d.Fingerprint(ctx)
	t.Check(err, "Fingerprint")
	fp, err := s.Recv()
	t.Check(err, "first fingerprint")
	if fp.Health != driver.HealthStateHealthy {
		t.Errorf("fingerprint.health under the conformance config: expected HEALTHY, got %s (%q)", healthName(fp.Health), fp.HealthDescription)
	}
}

// caseDriverStreamsStayOpen is case driver/streams-stay-open.
func caseDriverStreamsStayOpen(t *T) {
	_, d := driverSession(t)
	pt := prepareTask(t, d, RoleLongRunning)
	startTask(t, d, pt)
	ctx, cancel := context.WithCancel(t.Ctx)
	defer cancel()
	fs, err := d.Fingerprint(ctx)
	t.Check(err, "Fingerprint")
	ss, err := d.TaskStats(ctx, pt.Config.ID, 500*time.Millisecond)
	t.Check(err, "TaskStats")
	done := make(chan struct{}, 2)
	go func() {
		holdOpen(t, "Fingerprint", 3*time.Second, func() error { _, err := fs.Recv(); return err })
		done <- struct{}{}
	}()
	holdOpen(t, "TaskStats", 3*time.Second, optionalRecv(ctx, t, "TaskStats", driverOptionalTable, func() error { _, err := ss.Recv(); return err }))
	<-done
}

// caseDeviceFingerprintHealthy is case device/fingerprint-healthy.
func caseDeviceFingerprintHealthy(t *T) {
	_, d := deviceSession(t)
	fp := firstDeviceFingerprint(t, d)
	n := 0
	for _, g := range fp.Groups {
		for _, dev := range g.Devices {
			n++
			if !dev.Healthy {
				t.Errorf("device %q under the conformance config: expected healthy, got unhealthy (%q)", dev.ID, dev.HealthDescription)
			}
		}
	}
	if n == 0 {
		t.Errorf("under the conformance config: expected at least one device, got none")
	}
}

// caseDeviceStreamsStayOpen is case device/streams-stay-open.
func caseDeviceStreamsStayOpen(t *T) {
	_, d := deviceSession(t)
	ctx, cancel := context.WithCancel(t.Ctx)
	defer cancel()
	fs, err := d.Fingerprint(ctx)
	t.Check(err, "device Fingerprint")
	ss, err := d.Stats(ctx, 500*time.Millisecond)
	t.Check(err, "device Stats")
	done := make(chan struct{}, 1)
	go func() {
		holdOpen(t, "device Fingerprint", 3*time.Second, func() error { _, err := fs.Recv(); return err })
		done <- struct{}{}
	}()
	holdOpen(t, "device Stats", 3*time.Second, optionalRecv(ctx, t, "device Stats", deviceOptionalTable, func() error { _, err := ss.Recv(); return err }))
	<-done
}

// caseDriverEnv is case driver/env.
func caseDriverEnv(t *T) {
	_, d := driverSession(t)
	pt := prepareTaskEnv(t, d, RolePrintEnv, map[string]string{
		"YURT_CONF_ENV_PLAIN":   "plain",
		"YURT_CONF_ENV_SPACES":  "  two  spaces = and equals  ",
		"YURT_CONF_ENV_UNICODE": "ünïcødé ✓",
		"YURT_CONF_ENV_EMPTY":   "",
		"YURT_CONF_ENV_QUOTES":  `it's "quoted" $HOME`,
	}, map[string]string{"YURT_CONF_DEVICE_ENV": "device-0,device-1"})
	startTask(t, d, pt)
	_, err := d.WaitTask(t.Ctx, pt.Config.ID)
	t.Check(err, "WaitTask")
	want := map[string]string{}
	for k, v := range pt.Config.Env {
		want[k] = v
	}
	for k, v := range pt.Config.DeviceEnv {
		want[k] = v
	}
	var missing []string
	deadline := time.Now().Add(3 * time.Second)
	for {
		missing = missing[:0]
		lines := map[string]bool{}
		for _, l := range strings.Split(pt.Stdout.String(), "\n") {
			lines[l] = true
		}
		for k, v := range want {
			if !lines[k+"="+v] {
				missing = append(missing, k)
			}
		}
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	sort.Strings(missing)
	for _, k := range missing {
		got := "absent"
		for _, l := range strings.Split(pt.Stdout.String(), "\n") {
			if strings.HasPrefix(l, k+"=") {
				got = "the line " + strconv.Quote(l)
			}
		}
		t.Errorf("task env: expected the line %s, got %s", strconv.Quote(k+"="+want[k]), got)
	}
}
