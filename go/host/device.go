package host

import (
	"context"
	"fmt"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/devicepb"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Device is a typed client of a device plugin's DevicePlugin service.
type Device struct {
	c devicepb.DevicePluginClient
}

// Device returns the typed DevicePlugin client of this plugin.
func (p *Plugin) Device() *Device { return &Device{c: devicepb.NewDevicePluginClient(p.conn)} }

// Raw returns the generated client.
func (d *Device) Raw() devicepb.DevicePluginClient { return d.c }

// Fingerprint opens the device fingerprint stream once.
func (d *Device) Fingerprint(ctx context.Context) (Receiver[*devicepb.FingerprintResponse], error) {
	s, err := d.c.Fingerprint(ctx, &devicepb.FingerprintRequest{})
	if err != nil {
		return nil, fmt.Errorf("device Fingerprint: %w", err)
	}
	return s, nil
}

// FollowFingerprint keeps the fingerprint stream open, reconnecting with backoff.
func (d *Device) FollowFingerprint(ctx context.Context, b Backoff, onMsg func(*devicepb.FingerprintResponse), onEnd func(StreamEvent)) error {
	return Follow(ctx, b, d.Fingerprint, onMsg, onEnd)
}

// Reserve reserves devices by ID and returns how to expose them to a task.
func (d *Device) Reserve(ctx context.Context, ids []string) (*devicepb.ContainerReservation, error) {
	r, err := d.c.Reserve(ctx, &devicepb.ReserveRequest{DeviceIds: ids})
	if err != nil {
		return nil, fmt.Errorf("device Reserve %v: %w", ids, err)
	}
	return r.GetContainerRes(), nil
}

// Stats opens the device stats stream once; a zero interval means 1 s.
func (d *Device) Stats(ctx context.Context, interval time.Duration) (Receiver[*devicepb.StatsResponse], error) {
	if interval <= 0 {
		interval = time.Second
	}
	s, err := d.c.Stats(ctx, &devicepb.StatsRequest{CollectionInterval: durationpb.New(interval)})
	if err != nil {
		return nil, fmt.Errorf("device Stats: %w", err)
	}
	return checkingReceiver[*devicepb.StatsResponse]{s, CheckDeviceStatsReply}, nil
}

// FollowStats keeps the stats stream open, reconnecting with backoff.
func (d *Device) FollowStats(ctx context.Context, interval time.Duration, b Backoff, onMsg func(*devicepb.StatsResponse), onEnd func(StreamEvent)) error {
	return Follow(ctx, b, func(ctx context.Context) (Receiver[*devicepb.StatsResponse], error) {
		return d.Stats(ctx, interval)
	}, onMsg, onEnd)
}
