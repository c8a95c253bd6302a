package deviceconv

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/device"
)

func TestConvertNilAndZero(t *testing.T) {
	assert.Nil(t, GroupToProto(nil))
	assert.Nil(t, GroupFromProto(nil))
	assert.Nil(t, FingerprintToProto(nil))
	assert.Nil(t, FingerprintFromProto(nil))
	assert.Nil(t, ReservationToProto(nil))
	assert.Nil(t, ReservationFromProto(nil))
	assert.Nil(t, StatsToProto(nil))
	assert.Nil(t, StatsFromProto(nil))

	assert.Equal(t, &device.DeviceGroup{}, GroupFromProto(GroupToProto(&device.DeviceGroup{})))
	assert.Equal(t, &device.FingerprintResponse{}, FingerprintFromProto(FingerprintToProto(&device.FingerprintResponse{})))
	assert.Equal(t, &device.ContainerReservation{}, ReservationFromProto(ReservationToProto(&device.ContainerReservation{})))
	assert.Equal(t, &device.StatsResponse{}, StatsFromProto(StatsToProto(&device.StatsResponse{})))
	assert.Equal(t, &device.FingerprintResponse{}, FingerprintFromProto(&devicepb.FingerprintResponse{DeviceGroup: []*devicepb.DeviceGroup{nil}}))
}

func TestConvertRoundTrip(t *testing.T) {
	fp := &device.FingerprintResponse{Groups: []*device.DeviceGroup{{Vendor: "v", Type: "t", Name: "n",
		Devices:    []*device.Instance{{ID: "a", Healthy: true, HealthDescription: "ok", PCIBusID: "0000:01:00.0"}, {ID: "b"}},
		Attributes: map[string]*base.Attribute{"mem": base.NewIntAttribute(4, "GiB")}}}}
	assert.Equal(t, fp, FingerprintFromProto(FingerprintToProto(fp)))

	r := &device.ContainerReservation{Envs: map[string]string{"E": "1"}, Mounts: []device.Mount{{TaskPath: "/t", HostPath: "/h", ReadOnly: true}},
		Devices: []device.DeviceSpec{{TaskPath: "/dev/t", HostPath: "/dev/h", Permissions: "rwm"}}}
	assert.Equal(t, r, ReservationFromProto(ReservationToProto(r)))

	s := &device.StatsResponse{Groups: []*device.DeviceGroupStats{{Vendor: "v", Type: "t", Name: "n", InstanceStats: map[string]*device.DeviceStats{
		"a": {Summary: &base.StatValue{FloatNumerator: base.Ptr(1.5), Unit: "%"}, Stats: &base.StatObject{}, Timestamp: time.Unix(3, 0).UTC()},
		"b": {Timestamp: time.Unix(4, 0).UTC()},
	}}}}
	assert.Equal(t, s, StatsFromProto(StatsToProto(s)))
}

// Nomad's client drops an instance's stats without a timestamp
// (plugins/device/util.go convertProtoDeviceStats): one is always sent.
func TestStatsAlwaysCarryATimestamp(t *testing.T) {
	r := StatsToProto(&device.StatsResponse{Groups: []*device.DeviceGroupStats{{Vendor: "v", Type: "t", Name: "n",
		InstanceStats: map[string]*device.DeviceStats{"d0": {}}}}})
	ts := r.GetGroups()[0].GetInstanceStats()["d0"].GetTimestamp()
	require.NotNil(t, ts)
	assert.WithinDuration(t, time.Now(), ts.AsTime(), time.Minute)
}
