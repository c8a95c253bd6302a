package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/gen/structspb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type device struct {
	devicepb.UnimplementedDevicePluginServer
	base *base
}

func newDevice(b *base) *device { return &device{base: b} }

// ids are the devices' IDs: sim-0 .. sim-<count-1> of the plugin config.
func (d *device) ids() []string {
	n := d.base.config().count
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("sim-%d", i)
		if fault("unstable-ids") {
			ids[i] = fmt.Sprintf("sim-%d-%d", os.Getpid(), i)
		}
		if fault("duplicate-ids") {
			ids[i] = "sim-0"
		}
	}
	return ids
}

func (d *device) Fingerprint(_ *devicepb.FingerprintRequest, s grpc.ServerStreamingServer[devicepb.FingerprintResponse]) error {
	if fault("silent-fingerprint") {
		<-s.Context().Done()
		return nil
	}
	unit := "MiB"
	if fault("bad-unit") {
		unit = "parsecs"
	}
	var devs []*devicepb.DetectedDevice
	for _, id := range d.ids() {
		devs = append(devs, &devicepb.DetectedDevice{ID: id, Healthy: !fault("device-unhealthy"), HealthDescription: "ok"})
	}
	if err := s.Send(&devicepb.FingerprintResponse{DeviceGroup: []*devicepb.DeviceGroup{{Vendor: "yurt", DeviceType: "gpu", DeviceName: "sim",
		Devices: devs, Attributes: map[string]*structspb.Attribute{"memory": {Value: &structspb.Attribute_IntVal{IntVal: 1024}, Unit: unit}}}}}); err != nil {
		return err
	}
	if fault("device-streams-close") {
		return nil
	}
	<-s.Context().Done()
	if fault("crash-on-cancel") {
		os.Exit(3)
	}
	return nil
}

// Reserve gives SIM_VISIBLE_DEVICES (the sorted IDs), and a mount /sim/<id>
// and a device /dev/<id> (both /dev/null on the host) per device.
func (d *device) Reserve(_ context.Context, r *devicepb.ReserveRequest) (*devicepb.ReserveResponse, error) {
	if !fault("reserve-anything") {
		known := map[string]bool{}
		for _, id := range d.ids() {
			known[id] = true
		}
		for _, id := range r.GetDeviceIds() {
			if !known[id] {
				return nil, status.Errorf(codes.InvalidArgument, "unknown device %q", id)
			}
		}
	}
	ids := append([]string(nil), r.GetDeviceIds()...)
	sort.Strings(ids)
	res := &devicepb.ContainerReservation{Envs: map[string]string{"SIM_VISIBLE_DEVICES": strings.Join(ids, ",")}}
	for _, id := range ids {
		res.Mounts = append(res.Mounts, &devicepb.Mount{TaskPath: "/sim/" + id, HostPath: "/dev/null", ReadOnly: true})
		res.Devices = append(res.Devices, &devicepb.DeviceSpec{TaskPath: "/dev/" + id, HostPath: "/dev/null", Permissions: "rw"})
	}
	return &devicepb.ReserveResponse{ContainerRes: res}, nil
}

// Stats: -fault=no-device-stats is not a fault: it leaves the optional RPC out
// as an SDK does (Unimplemented), which must pass; device-stats-error answers a
// plain error, which must not.
func (d *device) Stats(r *devicepb.StatsRequest, s grpc.ServerStreamingServer[devicepb.StatsResponse]) error {
	if fault("no-device-stats") {
		return status.Error(codes.Unimplemented, "Stats is not implemented by this plugin")
	}
	if fault("device-stats-error") {
		return errors.New("stats: cannot read the devices' usage")
	}
	iv := r.GetCollectionInterval().AsDuration()
	if iv <= 0 {
		iv = time.Second
	}
	for {
		inst := map[string]*devicepb.DeviceStats{}
		for i, id := range d.ids() {
			if fault("stats-partial") && i > 0 {
				continue
			}
			inst[id] = &devicepb.DeviceStats{Timestamp: timestamppb.Now(), Summary: &structspb.StatValue{IntNumeratorVal: wrapperspb.Int64(1), Unit: "MiB"}}
			if fault("nomad-device-stats-no-timestamp") {
				inst[id].Timestamp = nil
			}
		}
		if err := s.Send(&devicepb.StatsResponse{Groups: []*devicepb.DeviceGroupStats{{Vendor: "yurt", Type: "gpu", Name: "sim", InstanceStats: inst}}}); err != nil {
			return err
		}
		if fault("device-streams-close") {
			return nil
		}
		select {
		case <-s.Context().Done():
			return nil
		case <-time.After(iv):
		}
	}
}
