package host

import (
	"context"
	"errors"
	"io"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Backoff is an exponential backoff between stream reconnects.
type Backoff struct {
	// Initial is the first wait; zero means 250 ms.
	Initial time.Duration
	// Max caps the wait; zero means 30 s.
	Max time.Duration
}

func (b Backoff) next(cur time.Duration) time.Duration {
	initial, max := b.Initial, b.Max
	if initial <= 0 {
		initial = 250 * time.Millisecond
	}
	if max <= 0 {
		max = 30 * time.Second
	}
	if cur <= 0 {
		return initial
	}
	if cur *= 2; cur > max {
		cur = max
	}
	return cur
}

// Receiver is a server stream's receive side.
type Receiver[T any] interface {
	Recv() (T, error)
}

// StreamEvent is reported to a Follow callback when a stream ends.
type StreamEvent struct {
	// Err is why the stream ended: io.EOF when the plugin closed it.
	Err error
	// Retry is the wait before the next attempt.
	Retry time.Duration
}

// NomadStreamBackoff is the backoff Nomad's driver manager uses to reopen a
// driver's fingerprint and task event streams: 5 s doubling up to 2 min
// (hashicorp/nomad v2.0.5 client/pluginmanager/drivermanager/instance.go
// driverFPBackoffBaseline, driverFPBackoffLimit; helper.Backoff).
var NomadStreamBackoff = Backoff{Initial: 5 * time.Second, Max: 2 * time.Minute}

// Follow keeps a server stream open as Nomad's driver manager keeps a
// fingerprint stream open (drivermanager/instance.go fingerprint): it calls
// open, hands every message to onMsg, and when the stream ends (EOF or error)
// opens it again: at once after a stream that delivered a message, else
// after an exponential backoff that grows with each failed attempt (a failed
// open, or a stream that ended before its first message). It returns ctx's
// error when ctx is done, or the error if the plugin answers Unimplemented
// (retrying cannot help). onEnd, if set, sees every stream end.
func Follow[T any](ctx context.Context, b Backoff, open func(context.Context) (Receiver[T], error), onMsg func(T), onEnd func(StreamEvent)) error {
	var wait time.Duration
	for {
		got := false
		s, err := open(ctx)
		if err == nil {
			for {
				var m T
				m, err = s.Recv()
				if err != nil {
					break
				}
				got = true
				onMsg(m)
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if status.Code(err) == codes.Unimplemented {
			return err
		}
		if got {
			wait = 0
		} else {
			wait = b.next(wait)
		}
		if onEnd != nil {
			e := err
			if errors.Is(e, io.EOF) {
				e = io.EOF
			}
			onEnd(StreamEvent{Err: e, Retry: wait})
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// convReceiver checks every wire message of a stream as Nomad's client
// decodes it (check may be nil), then converts it to the SDK's type.
type convReceiver[W, T any] struct {
	r     Receiver[W]
	check func(W) error
	conv  func(W) T
}

func (c convReceiver[W, T]) Recv() (T, error) {
	var zero T
	m, err := c.r.Recv()
	if err != nil {
		return zero, err
	}
	if c.check != nil {
		if err := c.check(m); err != nil {
			return zero, err
		}
	}
	return c.conv(m), nil
}
