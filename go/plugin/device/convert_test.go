package device

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/plugin/base"
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

	assert.Equal(t, &DeviceGroup{}, GroupFromProto(GroupToProto(&DeviceGroup{})))
	assert.Equal(t, &FingerprintResponse{}, FingerprintFromProto(FingerprintToProto(&FingerprintResponse{})))
	assert.Equal(t, &ContainerReservation{}, ReservationFromProto(ReservationToProto(&ContainerReservation{})))
	assert.Equal(t, &StatsResponse{}, StatsFromProto(StatsToProto(&StatsResponse{})))
	assert.Equal(t, &FingerprintResponse{}, FingerprintFromProto(&devicepb.FingerprintResponse{DeviceGroup: []*devicepb.DeviceGroup{nil}}))
}

func TestConvertRoundTrip(t *testing.T) {
	fp := &FingerprintResponse{Groups: []*DeviceGroup{{Vendor: "v", Type: "t", Name: "n",
		Devices:    []*Instance{{ID: "a", Healthy: true, HealthDescription: "ok", PCIBusID: "0000:01:00.0"}, {ID: "b"}},
		Attributes: map[string]*base.Attribute{"mem": base.NewIntAttribute(4, "GiB")}}}}
	assert.Equal(t, fp, FingerprintFromProto(FingerprintToProto(fp)))

	r := &ContainerReservation{Envs: map[string]string{"E": "1"}, Mounts: []Mount{{TaskPath: "/t", HostPath: "/h", ReadOnly: true}},
		Devices: []DeviceSpec{{TaskPath: "/dev/t", HostPath: "/dev/h", Permissions: "rwm"}}}
	assert.Equal(t, r, ReservationFromProto(ReservationToProto(r)))

	s := &StatsResponse{Groups: []*DeviceGroupStats{{Vendor: "v", Type: "t", Name: "n", InstanceStats: map[string]*DeviceStats{
		"a": {Summary: &base.StatValue{FloatNumerator: base.Ptr(1.5), Unit: "%"}, Stats: &base.StatObject{}, Timestamp: time.Unix(3, 0).UTC()},
		"b": {},
	}}}}
	assert.Equal(t, s, StatsFromProto(StatsToProto(s)))
}
