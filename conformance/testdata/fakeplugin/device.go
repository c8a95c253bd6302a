package main

import (
	"context"
	"errors"
	"fmt"
	"os"
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
	ids []string
}

func newDevice() *device {
	ids := []string{"fake-0", "fake-1"}
	if fault("unstable-ids") {
		ids = []string{fmt.Sprintf("fake-%d-0", os.Getpid()), fmt.Sprintf("fake-%d-1", os.Getpid())}
	}
	if fault("duplicate-ids") {
		ids = []string{"fake-0", "fake-0"}
	}
	return &device{ids: ids}
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
	for _, id := range d.ids {
		devs = append(devs, &devicepb.DetectedDevice{ID: id, Healthy: !fault("device-unhealthy"), HealthDescription: "ok"})
	}
	if err := s.Send(&devicepb.FingerprintResponse{DeviceGroup: []*devicepb.DeviceGroup{{Vendor: "yurt", DeviceType: "fake", DeviceName: "fakedev",
		Devices: devs, Attributes: map[string]*structspb.Attribute{"memory": {Value: &structspb.Attribute_IntVal{IntVal: 512}, Unit: unit}}}}}); err != nil {
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

func (d *device) Reserve(_ context.Context, r *devicepb.ReserveRequest) (*devicepb.ReserveResponse, error) {
	if !fault("reserve-anything") {
		for _, id := range r.GetDeviceIds() {
			known := false
			for _, k := range d.ids {
				known = known || k == id
			}
			if !known {
				return nil, status.Errorf(codes.InvalidArgument, "unknown device %q", id)
			}
		}
	}
	return &devicepb.ReserveResponse{ContainerRes: &devicepb.ContainerReservation{Envs: map[string]string{"FAKE_VISIBLE_DEVICES": fmt.Sprint(r.GetDeviceIds())}}}, nil
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
		for i, id := range d.ids {
			if fault("stats-partial") && i > 0 {
				continue
			}
			inst[id] = &devicepb.DeviceStats{Timestamp: timestamppb.Now(), Summary: &structspb.StatValue{IntNumeratorVal: wrapperspb.Int64(1), Unit: "MiB"}}
			if fault("nomad-device-stats-no-timestamp") {
				inst[id].Timestamp = nil
			}
		}
		if err := s.Send(&devicepb.StatsResponse{Groups: []*devicepb.DeviceGroupStats{{Vendor: "yurt", Type: "fake", Name: "fakedev", InstanceStats: inst}}}); err != nil {
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
