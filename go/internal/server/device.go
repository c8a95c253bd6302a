package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/grpc"

	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/internal/convert/baseconv"
	"github.com/yurt-sdk/yurt/go/internal/convert/deviceconv"
	"github.com/yurt-sdk/yurt/go/plugin/device"
)

// Server serves the DevicePlugin gRPC service for a Device.
type Device struct {
	devicepb.UnimplementedDevicePluginServer
	Impl device.Device
}

// Fingerprint serves the DevicePlugin Fingerprint RPC: it calls the plugin's Fingerprint and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Device) Fingerprint(_ *devicepb.FingerprintRequest, stream grpc.ServerStreamingServer[devicepb.FingerprintResponse]) error {
	ctx := stream.Context()
	ch, err := s.Impl.Fingerprint(ctx)
	if err != nil {
		return baseconv.StatusError(err)
	}
	return baseconv.Pump(ctx, ch, func(f *device.FingerprintResponse) error { return baseconv.StatusError(f.Err) }, deviceconv.FingerprintToProto, stream.Send)
}

// Reserve serves the DevicePlugin Reserve RPC: it calls the plugin's Reserve and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Device) Reserve(ctx context.Context, req *devicepb.ReserveRequest) (*devicepb.ReserveResponse, error) {
	if len(req.GetDeviceIds()) == 0 {
		return nil, baseconv.StatusError(errNoDeviceIDs)
	}
	r, err := s.Impl.Reserve(ctx, req.GetDeviceIds())
	if err != nil {
		return nil, baseconv.StatusError(err)
	}
	if r == nil {
		return nil, baseconv.StatusError(fmt.Errorf("Reserve: plugin returned no reservation for %v", req.GetDeviceIds()))
	}
	return &devicepb.ReserveResponse{ContainerRes: deviceconv.ReservationToProto(r)}, nil
}

// Stats serves the DevicePlugin Stats RPC: it calls the plugin's Stats and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Device) Stats(req *devicepb.StatsRequest, stream grpc.ServerStreamingServer[devicepb.StatsResponse]) error {
	ctx := stream.Context()
	interval := req.GetCollectionInterval().AsDuration()
	if interval <= 0 {
		interval = deviceStatsInterval
	}
	ch, err := s.Impl.Stats(ctx, interval)
	if err != nil {
		return baseconv.StatusError(err)
	}
	return baseconv.Pump(ctx, ch, func(st *device.StatsResponse) error { return baseconv.StatusError(st.Err) }, deviceconv.StatsToProto, stream.Send)
}

// errNoDeviceIDs answers a Reserve without device IDs.
var errNoDeviceIDs = errors.New("Reserve: no device IDs given")

// deviceStatsInterval is what Nomad's own server uses for an interval of 0.
const deviceStatsInterval = time.Second
