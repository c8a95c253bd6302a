// Package conformance is the Yurt plugin conformance harness: it launches any
// Nomad task-driver or device plugin binary exactly as a host does and runs named,
// stable cases (handshake/, base/, driver/, device/, nomad/) against it. Each case
// is Required or Recommended and is skipped with a reason when the plugin does not
// advertise what it needs. Results go to a human table, JSON and JUnit XML, and a
// per-plugin expected-failures list fails the run when it goes stale.
package conformance

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Level says whether a case must pass.
type Level string

const (
	Required    Level = "required"
	Recommended Level = "recommended"
)

// Kind restricts a case to a plugin type.
type Kind string

const (
	AnyPlugin    Kind = "any"
	DriverPlugin Kind = "driver"
	DevicePlugin Kind = "device"
)

// Case is one conformance check. IDs never change meaning.
type Case struct {
	ID    string
	Level Level
	Kind  Kind
	Doc   string
	// NoInfo marks a case that does not need PluginInfo to work (the raw
	// handshake cases), so a failing PluginInfo does not block it.
	NoInfo bool
	Run    func(t *T)
}

// Group is the part of the ID before the slash.
func (c Case) Group() string {
	if i := strings.IndexByte(c.ID, '/'); i >= 0 {
		return c.ID[:i]
	}
	return c.ID
}

// T is what a case uses to report. Fatalf and Skipf end the case.
type T struct {
	Ctx context.Context
	H   *Harness

	mu       sync.Mutex
	failed   bool
	skipped  bool
	messages []string
	cleanups []func()
}

func (t *T) add(format string, args ...interface{}) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.messages = append(t.messages, fmt.Sprintf(format, args...))
}

// Errorf marks the case failed and goes on.
func (t *T) Errorf(format string, args ...interface{}) {
	t.add(format, args...)
	t.mu.Lock()
	t.failed = true
	t.mu.Unlock()
}

// Fatalf marks the case failed and ends it.
func (t *T) Fatalf(format string, args ...interface{}) {
	t.Errorf(format, args...)
	runtime.Goexit()
}

// Skipf ends the case as skipped with a reason.
func (t *T) Skipf(format string, args ...interface{}) {
	t.add(format, args...)
	t.mu.Lock()
	t.skipped = true
	t.mu.Unlock()
	runtime.Goexit()
}

// Logf adds a note to the result.
func (t *T) Logf(format string, args ...interface{}) { t.add(format, args...) }

// Cleanup registers f to run when the case ends, last registered first.
func (t *T) Cleanup(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cleanups = append(t.cleanups, f)
}

// Check fails the case with msg when err is not nil.
func (t *T) Check(err error, format string, args ...interface{}) {
	if err != nil {
		t.Fatalf("%s: %v", fmt.Sprintf(format, args...), err)
	}
}

// runCase runs c with a timeout and turns panics into failures.
func runCase(parent context.Context, h *Harness, c Case, timeout time.Duration) Result {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	t := &T{Ctx: ctx, H: h}
	start := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("case panicked: %v", r)
			}
		}()
		c.Run(t)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		// Cases use t.Ctx; give one a moment to notice before giving up on it.
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
		t.Errorf("case did not finish within %s", timeout)
	}
	t.mu.Lock()
	cl := append([]func(){}, t.cleanups...)
	t.mu.Unlock()
	for i := len(cl) - 1; i >= 0; i-- {
		cl[i]()
	}
	r := Result{ID: c.ID, Level: c.Level, Doc: c.Doc, Duration: time.Since(start)}
	t.mu.Lock()
	defer t.mu.Unlock()
	r.Message = strings.Join(t.messages, "; ")
	switch {
	case t.failed:
		r.Status = StatusFail
	case t.skipped:
		r.Status = StatusSkip
	default:
		r.Status = StatusPass
	}
	return r
}
