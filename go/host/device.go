package host

import (
	"context"
	"fmt"
	"github.com/yurt-sdk/yurt/go/internal/convert/deviceconv"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"github.com/yurt-sdk/yurt/go/plugin/device"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Device is a typed client of a device plugin's DevicePlugin service. It
// speaks the SDK's types (go/plugin/device), as a plugin does.
type Device struct {
	conn grpc.ClientConnInterface
	c    devicepb.DevicePluginClient
}

// Device returns the typed DevicePlugin client of this plugin.
func (p *Plugin) Device() *Device { return NewDevice(p.conn) }

// NewDevice is the typed DevicePlugin client over any gRPC connection to a
// device plugin.
func NewDevice(conn grpc.ClientConnInterface) *Device {
	return &Device{conn: conn, c: devicepb.NewDevicePluginClient(conn)}
}

// Conn is the connection the client calls through (see Driver.Conn).
func (d *Device) Conn() grpc.ClientConnInterface { return d.conn }

// Fingerprint opens the device fingerprint stream once.
func (d *Device) Fingerprint(ctx context.Context) (Receiver[*device.FingerprintResponse], error) {
	s, err := d.c.Fingerprint(ctx, &devicepb.FingerprintRequest{})
	if err != nil {
		return nil, fmt.Errorf("device Fingerprint: %w", err)
	}
	return convReceiver[*devicepb.FingerprintResponse, *device.FingerprintResponse]{s, nil, deviceconv.FingerprintFromProto}, nil
}

// FollowFingerprint keeps the fingerprint stream open, reconnecting with backoff.
func (d *Device) FollowFingerprint(ctx context.Context, b Backoff, onMsg func(*device.FingerprintResponse), onEnd func(StreamEvent)) error {
	return Follow(ctx, b, d.Fingerprint, onMsg, onEnd)
}

// Reserve reserves devices by ID and returns how to expose them to a task.
func (d *Device) Reserve(ctx context.Context, ids []string) (*device.ContainerReservation, error) {
	r, err := d.c.Reserve(ctx, &devicepb.ReserveRequest{DeviceIds: ids})
	if err != nil {
		return nil, fmt.Errorf("device Reserve %v: %w", ids, err)
	}
	return deviceconv.ReservationFromProto(r.GetContainerRes()), nil
}

// Stats opens the device stats stream once; a zero interval means 1 s.
func (d *Device) Stats(ctx context.Context, interval time.Duration) (Receiver[*device.StatsResponse], error) {
	if interval <= 0 {
		interval = time.Second
	}
	s, err := d.c.Stats(ctx, &devicepb.StatsRequest{CollectionInterval: durationpb.New(interval)})
	if err != nil {
		return nil, fmt.Errorf("device Stats: %w", err)
	}
	return convReceiver[*devicepb.StatsResponse, *device.StatsResponse]{s, checkDeviceStatsReply, deviceconv.StatsFromProto}, nil
}

// FollowStats keeps the stats stream open, reconnecting with backoff.
func (d *Device) FollowStats(ctx context.Context, interval time.Duration, b Backoff, onMsg func(*device.StatsResponse), onEnd func(StreamEvent)) error {
	return Follow(ctx, b, func(ctx context.Context) (Receiver[*device.StatsResponse], error) {
		return d.Stats(ctx, interval)
	}, onMsg, onEnd)
}
