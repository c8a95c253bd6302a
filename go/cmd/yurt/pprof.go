package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"

	"github.com/hashicorp/go-hclog"
)

// servePprof serves the runtime profiles on a loopback address, for
// profiling an agent under load (YURT_AGENT_PPROF).
func servePprof(addr string, log hclog.Logger) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("want host:port, got %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("want a loopback address (127.0.0.1:PORT), got %q", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	runtime.SetMutexProfileFraction(5)
	runtime.SetBlockProfileRate(int(1e6)) // one sample per ms blocked
	m := http.NewServeMux()
	m.HandleFunc("/debug/pprof/", pprof.Index)
	m.HandleFunc("/debug/pprof/profile", pprof.Profile)
	m.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go func() {
		if err := http.Serve(ln, m); err != nil {
			log.Warn("pprof server", "error", err)
		}
	}()
	return nil
}
