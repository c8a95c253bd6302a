package agent

import (
	"sync"
	"time"

	"github.com/yurt-sdk/yurt/go/api"
)

// eventLog keeps the latest events in memory and fans new ones out to
// followers. Events are not persisted: they describe this agent run.
type eventLog struct {
	mu   sync.Mutex
	buf  []api.Event
	max  int
	subs map[chan api.Event]struct{}
}

func newEventLog(max int) *eventLog {
	return &eventLog{max: max, subs: map[chan api.Event]struct{}{}}
}

func (l *eventLog) add(e api.Event) {
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, e)
	if len(l.buf) > l.max {
		l.buf = l.buf[len(l.buf)-l.max:]
	}
	for ch := range l.subs {
		select {
		case ch <- e:
		default: // a follower too slow to keep up loses events rather than blocking the agent
		}
	}
}

// subscribe returns the buffered events and a channel of later ones.
func (l *eventLog) subscribe() ([]api.Event, chan api.Event, func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ch := make(chan api.Event, 256)
	l.subs[ch] = struct{}{}
	past := append([]api.Event(nil), l.buf...)
	return past, ch, func() {
		l.mu.Lock()
		delete(l.subs, ch)
		l.mu.Unlock()
	}
}
