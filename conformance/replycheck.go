package conformance

import (
	"context"
	"fmt"
	"sync"

	"google.golang.org/grpc"

	"github.com/yurt-sdk/yurt/go/host"
)

// replyWatch runs every reply and stream message the harness receives from a
// plugin, on every connection of the run (typed and raw), through
// host.CheckReply: the checks the Yurt host applies, written once in go/host
// (validate.go), the way Nomad's Go client decodes each message (timestamps
// present and in range, enums known, messages it dereferences present, CPU
// figures finite). A case that uses the typed client fails on its own when a
// reply is bad; messages read through the raw client, or in a case that
// expects an error anyway, are caught here too, and nomad/replies-decode
// reports them all, with the case that received each.
type replyWatch struct {
	mu      sync.Mutex
	current string
	checked int
	bad     []string
}

func (w *replyWatch) setCase(id string) {
	w.mu.Lock()
	w.current = id
	w.mu.Unlock()
}

func (w *replyWatch) observe(method string, m any) {
	err := host.CheckReply(m)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.checked++
	if err != nil {
		during := w.current
		if during == "" {
			during = "the launch probe"
		}
		w.bad = append(w.bad, fmt.Sprintf("during %s (%s): %v", during, method, err))
	}
}

func (w *replyWatch) snapshot() (checked int, bad []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.checked, append([]string(nil), w.bad...)
}

// dialOptions are the interceptors that feed the watch.
func (w *replyWatch) dialOptions() []grpc.DialOption {
	unary := func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		err := invoker(ctx, method, req, reply, cc, opts...)
		if err == nil {
			w.observe(method, reply)
		}
		return err
	}
	stream := func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		s, err := streamer(ctx, desc, cc, method, opts...)
		if err != nil {
			return nil, err
		}
		return &checkedStream{ClientStream: s, w: w, method: method}, nil
	}
	return []grpc.DialOption{grpc.WithChainUnaryInterceptor(unary), grpc.WithChainStreamInterceptor(stream)}
}

type checkedStream struct {
	grpc.ClientStream
	w      *replyWatch
	method string
}

func (s *checkedStream) RecvMsg(m any) error {
	err := s.ClientStream.RecvMsg(m)
	if err == nil {
		s.w.observe(s.method, m)
	}
	return err
}
