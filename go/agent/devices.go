package agent

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/config"
	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// reservation is what device plugins told us to give a task.
type reservation struct {
	env     map[string]string
	mounts  []driver.Mount
	devices []driver.DeviceMount
}

// reserveDevices picks healthy, unreserved device IDs for each of a task's
// device requests from the device plugins' fingerprints, marks them taken
// and calls Reserve on each plugin involved.
func (a *Agent) reserveDevices(ctx context.Context, taskID string, t *config.Task) (*reservation, map[string][]string, error) {
	res := &reservation{env: map[string]string{}}
	if len(t.Resources.Devices) == 0 {
		return res, nil, nil
	}
	a.devMu.Lock()
	picked := map[*pluginInst][]string{}
	for _, req := range t.Resources.Devices {
		taken := map[string]bool{}
		for pi, ids := range picked {
			for _, id := range ids {
				taken[devKey(pi.file, id)] = true
			}
		}
		need := req.Count
		matching, free := 0, 0
		for _, pi := range a.devicePlugins() {
			pi.mu.Lock()
			groups := pi.groups
			pi.mu.Unlock()
			for _, g := range groups {
				if g == nil || !req.Matches(g.Vendor, g.Type, g.Name) {
					continue
				}
				for _, d := range g.Devices {
					if d == nil {
						continue
					}
					matching++
					key := devKey(pi.file, d.ID)
					if !d.Healthy || a.reserved[key] != "" || taken[key] {
						continue
					}
					free++
					if need > 0 {
						picked[pi] = append(picked[pi], d.ID)
						taken[key] = true
						need--
					}
				}
			}
		}
		if need > 0 {
			a.devMu.Unlock()
			if matching == 0 {
				return nil, nil, fmt.Errorf("%s: task %q: device %q: no device plugin offers such a device; available: %s",
					config.Where(req.Range), t.Name, req.Name, strings.Join(a.deviceGroupNames(), ", "))
			}
			return nil, nil, fmt.Errorf("%s: task %q: device %q: need %d healthy unreserved devices, %d of %d matching are free",
				config.Where(req.Range), t.Name, req.Name, req.Count, free, matching)
		}
	}
	out := map[string][]string{}
	for pi, ids := range picked {
		for _, id := range ids {
			a.reserved[devKey(pi.file, id)] = taskID
		}
		out[pi.file] = ids
	}
	a.devMu.Unlock()

	for pi, ids := range picked {
		p, _ := pi.current()
		if p == nil {
			a.releaseDevices(taskID)
			return nil, nil, fmt.Errorf("task %q: device plugin %s is not running", t.Name, pi.file)
		}
		cr, err := p.Device().Reserve(ctx, ids)
		if err != nil {
			a.releaseDevices(taskID)
			return nil, nil, fmt.Errorf("task %q: device plugin %s: Reserve %v: %w", t.Name, pi.file, ids, err)
		}
		if cr == nil {
			continue
		}
		for k, v := range cr.Envs {
			res.env[k] = v
		}
		for _, m := range cr.Mounts {
			res.mounts = append(res.mounts, driver.Mount{TaskPath: m.TaskPath, HostPath: m.HostPath, ReadOnly: m.ReadOnly})
		}
		for _, d := range cr.Devices {
			res.devices = append(res.devices, driver.DeviceMount{TaskPath: d.TaskPath, HostPath: d.HostPath, CgroupPermissions: d.Permissions})
		}
	}
	return res, out, nil
}

// devKey names a device uniquely: IDs are only unique within one plugin.
func devKey(plugin, id string) string { return plugin + "\x00" + id }

func (a *Agent) releaseDevices(taskID string) {
	a.devMu.Lock()
	defer a.devMu.Unlock()
	for id, owner := range a.reserved {
		if owner == taskID {
			delete(a.reserved, id)
		}
	}
}

func (a *Agent) markReserved(taskID string, devices map[string][]string) {
	a.devMu.Lock()
	defer a.devMu.Unlock()
	for plugin, ids := range devices {
		for _, id := range ids {
			a.reserved[devKey(plugin, id)] = taskID
		}
	}
}

func (a *Agent) devicePlugins() []*pluginInst {
	var out []*pluginInst
	for _, pi := range a.plugins {
		pi.mu.Lock()
		ok := pi.info.Type == host.PluginTypeDevice && pi.state == pluginRunning
		pi.mu.Unlock()
		if ok {
			out = append(out, pi)
		}
	}
	return out
}

func (a *Agent) deviceGroupNames() []string {
	var out []string
	for _, g := range a.deviceStatus() {
		out = append(out, fmt.Sprintf("%s/%s/%s", g.Vendor, g.Type, g.Name))
	}
	if len(out) == 0 {
		out = []string{"(none)"}
	}
	return out
}

func (a *Agent) deviceStatus() []api.DeviceGroup {
	var out []api.DeviceGroup
	a.devMu.Lock()
	defer a.devMu.Unlock()
	for _, pi := range a.devicePlugins() {
		pi.mu.Lock()
		groups := pi.groups
		pi.mu.Unlock()
		for _, g := range groups {
			if g == nil {
				continue
			}
			dg := api.DeviceGroup{Plugin: pi.file, Vendor: g.Vendor, Type: g.Type, Name: g.Name, Attributes: attrsToStrings(g.Attributes)}
			for _, d := range g.Devices {
				if d == nil {
					continue
				}
				dg.Devices = append(dg.Devices, api.Device{ID: d.ID, Healthy: d.Healthy, HealthDescription: d.HealthDescription, ReservedBy: a.reserved[devKey(pi.file, d.ID)]})
			}
			out = append(out, dg)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Vendor+out[i].Type+out[i].Name < out[j].Vendor+out[j].Type+out[j].Name
	})
	return out
}
