package execdriver

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// parseSignal accepts "SIGTERM", "TERM", "term" or a number.
func parseSignal(s string) (syscall.Signal, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		if n <= 0 || n > 64 {
			return 0, fmt.Errorf("signal number %d is out of range 1..64", n)
		}
		return syscall.Signal(n), nil
	}
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if sig := unix.SignalNum(name); sig != 0 {
		return sig, nil
	}
	return 0, fmt.Errorf("unknown signal %q, expected a name such as SIGTERM or a number", s)
}

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
