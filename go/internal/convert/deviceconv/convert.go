package deviceconv

import (
	"time"

	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/internal/convert/baseconv"
	"github.com/yurt-sdk/yurt/go/plugin/device"
)

// Converters between the hand-written types and the generated messages;
// nil maps to nil, zero to zero. Err fields do not travel in messages: the
// server turns them into stream errors.

// GroupToProto converts the SDK's Group to its wire message; GroupFromProto is
// the inverse.
func GroupToProto(g *device.DeviceGroup) *devicepb.DeviceGroup {
	if g == nil {
		return nil
	}
	out := &devicepb.DeviceGroup{Vendor: g.Vendor, DeviceType: g.Type, DeviceName: g.Name, Attributes: baseconv.AttributesToProto(g.Attributes)}
	for _, d := range g.Devices {
		if d == nil {
			continue
		}
		pd := &devicepb.DetectedDevice{ID: d.ID, Healthy: d.Healthy, HealthDescription: d.HealthDescription}
		if d.PCIBusID != "" {
			pd.HwLocality = &devicepb.DeviceLocality{PciBusId: d.PCIBusID}
		}
		out.Devices = append(out.Devices, pd)
	}
	return out
}

// GroupFromProto converts the wire message to the SDK's Group; GroupToProto is
// the inverse.
func GroupFromProto(g *devicepb.DeviceGroup) *device.DeviceGroup {
	if g == nil {
		return nil
	}
	out := &device.DeviceGroup{Vendor: g.GetVendor(), Type: g.GetDeviceType(), Name: g.GetDeviceName(), Attributes: baseconv.AttributesFromProto(g.GetAttributes())}
	for _, d := range g.GetDevices() {
		if d == nil {
			continue
		}
		out.Devices = append(out.Devices, &device.Instance{ID: d.GetID(), Healthy: d.GetHealthy(),
			HealthDescription: d.GetHealthDescription(), PCIBusID: d.GetHwLocality().GetPciBusId()})
	}
	return out
}

// FingerprintToProto converts the SDK's Fingerprint to its wire message; FingerprintFromProto is
// the inverse.
func FingerprintToProto(f *device.FingerprintResponse) *devicepb.FingerprintResponse {
	if f == nil {
		return nil
	}
	out := &devicepb.FingerprintResponse{}
	for _, g := range f.Groups {
		if g != nil {
			out.DeviceGroup = append(out.DeviceGroup, GroupToProto(g))
		}
	}
	return out
}

// FingerprintFromProto converts the wire message to the SDK's Fingerprint; FingerprintToProto is
// the inverse.
func FingerprintFromProto(f *devicepb.FingerprintResponse) *device.FingerprintResponse {
	if f == nil {
		return nil
	}
	out := &device.FingerprintResponse{}
	for _, g := range f.GetDeviceGroup() {
		if g != nil {
			out.Groups = append(out.Groups, GroupFromProto(g))
		}
	}
	return out
}

// ReservationToProto converts the SDK's Reservation to its wire message; ReservationFromProto is
// the inverse.
func ReservationToProto(r *device.ContainerReservation) *devicepb.ContainerReservation {
	if r == nil {
		return nil
	}
	out := &devicepb.ContainerReservation{Envs: r.Envs}
	for _, m := range r.Mounts {
		out.Mounts = append(out.Mounts, &devicepb.Mount{TaskPath: m.TaskPath, HostPath: m.HostPath, ReadOnly: m.ReadOnly})
	}
	for _, d := range r.Devices {
		out.Devices = append(out.Devices, &devicepb.DeviceSpec{TaskPath: d.TaskPath, HostPath: d.HostPath, Permissions: d.Permissions})
	}
	return out
}

// ReservationFromProto converts the wire message to the SDK's Reservation; ReservationToProto is
// the inverse.
func ReservationFromProto(r *devicepb.ContainerReservation) *device.ContainerReservation {
	if r == nil {
		return nil
	}
	out := &device.ContainerReservation{Envs: r.GetEnvs()}
	for _, m := range r.GetMounts() {
		if m != nil {
			out.Mounts = append(out.Mounts, device.Mount{TaskPath: m.GetTaskPath(), HostPath: m.GetHostPath(), ReadOnly: m.GetReadOnly()})
		}
	}
	for _, d := range r.GetDevices() {
		if d != nil {
			out.Devices = append(out.Devices, device.DeviceSpec{TaskPath: d.GetTaskPath(), HostPath: d.GetHostPath(), Permissions: d.GetPermissions()})
		}
	}
	return out
}

// StatsToProto converts the SDK's Stats to its wire message; StatsFromProto is
// the inverse.
func StatsToProto(s *device.StatsResponse) *devicepb.StatsResponse {
	if s == nil {
		return nil
	}
	out := &devicepb.StatsResponse{}
	for _, g := range s.Groups {
		if g == nil {
			continue
		}
		pg := &devicepb.DeviceGroupStats{Vendor: g.Vendor, Type: g.Type, Name: g.Name}
		if g.InstanceStats != nil {
			pg.InstanceStats = make(map[string]*devicepb.DeviceStats, len(g.InstanceStats))
			for id, st := range g.InstanceStats {
				if st != nil {
					// Nomad's client drops an instance's stats without a
					// timestamp (plugins/device/util.go convertProtoDeviceStats):
					// a zero Timestamp is sent as now.
					when := st.Timestamp
					if when.IsZero() {
						when = time.Now()
					}
					pg.InstanceStats[id] = &devicepb.DeviceStats{Summary: baseconv.StatValueToProto(st.Summary),
						Stats: baseconv.StatObjectToProto(st.Stats), Timestamp: baseconv.TimeToProtoSet(when)}
				}
			}
		}
		out.Groups = append(out.Groups, pg)
	}
	return out
}

// StatsFromProto converts the wire message to the SDK's Stats; StatsToProto is
// the inverse.
func StatsFromProto(s *devicepb.StatsResponse) *device.StatsResponse {
	if s == nil {
		return nil
	}
	out := &device.StatsResponse{}
	for _, g := range s.GetGroups() {
		if g == nil {
			continue
		}
		og := &device.DeviceGroupStats{Vendor: g.GetVendor(), Type: g.GetType(), Name: g.GetName()}
		if g.GetInstanceStats() != nil {
			og.InstanceStats = make(map[string]*device.DeviceStats, len(g.GetInstanceStats()))
			for id, st := range g.GetInstanceStats() {
				if st != nil {
					og.InstanceStats[id] = &device.DeviceStats{Summary: baseconv.StatValueFromProto(st.GetSummary()),
						Stats: baseconv.StatObjectFromProto(st.GetStats()), Timestamp: baseconv.TimeFromProto(st.GetTimestamp())}
				}
			}
		}
		out.Groups = append(out.Groups, og)
	}
	return out
}
