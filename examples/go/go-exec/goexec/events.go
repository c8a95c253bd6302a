package goexec

import (
	"context"
	"sync"

	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// broadcaster fans task events out to every TaskEvents stream.
type broadcaster struct {
	mu   sync.Mutex
	subs map[chan *driver.TaskEvent]struct{}
}

func newBroadcaster() *broadcaster {
	return &broadcaster{subs: map[chan *driver.TaskEvent]struct{}{}}
}

func (b *broadcaster) subscribe(ctx context.Context) <-chan *driver.TaskEvent {
	ch := make(chan *driver.TaskEvent, 16)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	go func() {
		<-ctx.Done()
		b.mu.Lock()
		delete(b.subs, ch)
		close(ch)
		b.mu.Unlock()
	}()
	return ch
}

// publish never blocks: a subscriber that does not keep up loses events.
func (b *broadcaster) publish(e *driver.TaskEvent) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		select {
		case ch <- e:
		default:
		}
	}
}
