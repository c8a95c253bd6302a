package baseconv

import "context"

// Pump forwards a plugin's channel to a server stream until the channel
// closes or the client goes away (both end the stream cleanly). Nil items
// are skipped. failed, if not nil, inspects each item first: an error it
// returns ends the stream with that error (the plugin reported a failure in
// band, e.g. a device Fingerprint with Err set).
func Pump[T any, M any](ctx context.Context, ch <-chan *T, failed func(*T) error, conv func(*T) *M, send func(*M) error) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case v, ok := <-ch:
			if !ok {
				return nil
			}
			if v == nil {
				continue
			}
			if failed != nil {
				if err := failed(v); err != nil {
					return err
				}
			}
			if err := send(conv(v)); err != nil {
				return err
			}
		}
	}
}
