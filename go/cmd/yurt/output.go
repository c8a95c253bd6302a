package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/yurt-sdk/yurt/go/api"
)

// stripRPC removes gRPC's "rpc error: code = X desc = " framing from a
// message shown to a user.
func stripRPC(msg string) string {
	clean, _ := api.SplitRPCError(msg)
	return clean
}

// userMessage is err as the CLI prints it: without gRPC framing.
func userMessage(err error) string { return stripRPC(err.Error()) }

// jsonError is what a command run with --json prints on stdout when it fails.
type jsonError struct {
	Error string `json:"error"`
	// Code is the gRPC status code behind the error, when a plugin gave one.
	Code string `json:"code,omitempty"`
	// Status is the agent's HTTP status, when the agent answered.
	Status int `json:"status,omitempty"`
}

// writeJSONError prints err as a jsonError and returns the exit status to
// end with; usage errors and exit codes pass through.
func writeJSONError(w io.Writer, err error) error {
	var ee exitError
	var ue usageError
	if errors.As(err, &ee) || errors.As(err, &ue) {
		return err
	}
	msg, code := api.SplitRPCError(err.Error())
	je := jsonError{Error: msg, Code: code}
	var se *api.StatusError
	if errors.As(err, &se) {
		je.Status = se.Code
		if se.RPCCode != "" {
			je.Code = se.RPCCode
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(je)
	return exitError{1}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// showStopProgress prints "waiting for exit, Ns of kill_timeout Ms" on w
// every second until the returned function is called. On a terminal the
// line is rewritten in place.
func showStopProgress(ctx context.Context, c *api.Client, ref string, w io.Writer) func() {
	kill := 5 * time.Second // Nomad's default kill_timeout
	if t, err := c.Task(ctx, ref); err == nil && t.KillTimeoutMS > 0 {
		kill = time.Duration(t.KillTimeoutMS) * time.Millisecond
	}
	term := isTerminal(w)
	done := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		printed := false
		for {
			select {
			case <-done:
				if printed && term {
					fmt.Fprint(w, "\n")
				}
				return
			case <-tick.C:
				line := fmt.Sprintf("waiting for exit, %ds of kill_timeout %s", int(time.Since(start).Round(time.Second)/time.Second), kill)
				if term {
					fmt.Fprintf(w, "\r%s\x1b[K", line)
				} else {
					fmt.Fprintln(w, line)
				}
				printed = true
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
