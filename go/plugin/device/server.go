package device

import (
	"context"
	"fmt"

	"google.golang.org/grpc"

	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/plugin/base"
)

// Server serves the DevicePlugin gRPC service for a Device.
type Server struct {
	devicepb.UnimplementedDevicePluginServer
	Impl Device
}

// Fingerprint serves the DevicePlugin Fingerprint RPC: it calls the plugin's Fingerprint and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Server) Fingerprint(_ *devicepb.FingerprintRequest, stream grpc.ServerStreamingServer[devicepb.FingerprintResponse]) error {
	ctx := stream.Context()
	ch, err := s.Impl.Fingerprint(ctx)
	if err != nil {
		return base.StatusError(err)
	}
	return base.Pump(ctx, ch, func(f *FingerprintResponse) error { return base.StatusError(f.Err) }, FingerprintToProto, stream.Send)
}

// Reserve serves the DevicePlugin Reserve RPC: it calls the plugin's Reserve and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Server) Reserve(ctx context.Context, req *devicepb.ReserveRequest) (*devicepb.ReserveResponse, error) {
	if len(req.GetDeviceIds()) == 0 {
		return nil, base.StatusError(errNoDeviceIDs)
	}
	r, err := s.Impl.Reserve(ctx, req.GetDeviceIds())
	if err != nil {
		return nil, base.StatusError(err)
	}
	if r == nil {
		return nil, base.StatusError(fmt.Errorf("Reserve: plugin returned no reservation for %v", req.GetDeviceIds()))
	}
	return &devicepb.ReserveResponse{ContainerRes: ReservationToProto(r)}, nil
}

// Stats serves the DevicePlugin Stats RPC: it calls the plugin's Stats and
// maps its answer, and its errors, to the wire as Nomad expects them.
func (s *Server) Stats(req *devicepb.StatsRequest, stream grpc.ServerStreamingServer[devicepb.StatsResponse]) error {
	ctx := stream.Context()
	interval := req.GetCollectionInterval().AsDuration()
	if interval <= 0 {
		interval = defaultStatsInterval
	}
	ch, err := s.Impl.Stats(ctx, interval)
	if err != nil {
		return base.StatusError(err)
	}
	return base.Pump(ctx, ch, func(st *StatsResponse) error { return base.StatusError(st.Err) }, StatsToProto, stream.Send)
}
