package agent

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/config"
	"github.com/yurt-sdk/yurt/go/host"
	"github.com/yurt-sdk/yurt/go/inputlimit"
	"github.com/yurt-sdk/yurt/go/logmon"
)

func (a *Agent) routes() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("GET /v1/tasks", a.handleList)
	m.HandleFunc("POST /v1/tasks", a.handleRun)
	m.HandleFunc("GET /v1/tasks/{ref}", a.withTask(func(w http.ResponseWriter, r *http.Request, t *task) { writeJSON(w, t.snapshot()) }))
	m.HandleFunc("POST /v1/tasks/{ref}/stop", a.withTask(a.handleStop))
	m.HandleFunc("POST /v1/tasks/{ref}/signal", a.withTask(a.handleSignal))
	m.HandleFunc("GET /v1/tasks/{ref}/logs", a.withTask(a.handleLogs))
	m.HandleFunc("GET /v1/tasks/{ref}/stats", a.withTask(a.handleStats))
	m.HandleFunc("POST /v1/tasks/{ref}/exec", a.withTask(a.handleExec))
	m.HandleFunc("GET /v1/events", a.handleEvents)
	m.HandleFunc("GET /v1/plugins", func(w http.ResponseWriter, r *http.Request) {
		out := make([]api.Plugin, 0, len(a.plugins))
		for _, pi := range a.plugins {
			out = append(out, pi.status())
		}
		writeJSON(w, out)
	})
	m.HandleFunc("GET /v1/devices", func(w http.ResponseWriter, r *http.Request) {
		out := a.deviceStatus()
		if out == nil {
			out = []api.DeviceGroup{}
		}
		writeJSON(w, out)
	})
	return a.limitBodies(m)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, code int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	msg, rpcCode := api.SplitRPCError(err.Error())
	_ = json.NewEncoder(w).Encode(api.Error{Error: msg, Code: rpcCode})
}

func (a *Agent) withTask(h func(http.ResponseWriter, *http.Request, *task)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, err := a.resolveTask(r.PathValue("ref"))
		if err != nil {
			code := http.StatusNotFound
			if re, ok := err.(*refError); ok && len(re.candidates) > 0 {
				code = http.StatusConflict
			}
			writeErr(w, code, err)
			return
		}
		h(w, r, t)
	}
}

func (a *Agent) handleList(w http.ResponseWriter, r *http.Request) {
	b, err := a.taskListJSON()
	if err != nil {
		writeErr(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

func (a *Agent) handleRun(w http.ResponseWriter, r *http.Request) {
	// api.RunRequest, with the source decoded in one copy (jsontext.go).
	var req struct {
		File   string   `json:"file"`
		Source jsonText `json:"source"`
	}
	if !a.readJSON(w, r, "run request", &req) {
		return
	}
	if req.File == "" {
		req.File = "task.hcl"
	}
	if len(req.File) > maxFileNameBytes {
		writeErr(w, http.StatusBadRequest, fmt.Errorf("run request: the file name is %d bytes, longer than the limit of %d", len(req.File), maxFileNameBytes))
		return
	}
	tasks, err := a.runFile(r.Context(), req.File, req.Source)
	if err != nil {
		writeErr(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, api.RunResponse{Tasks: tasks})
}

func (a *Agent) handleStop(w http.ResponseWriter, r *http.Request, t *task) {
	if err := a.stop(r.Context(), t); err != nil {
		writeErr(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, t.snapshot())
}

func (a *Agent) runningDriver(t *task) (*host.Driver, error) {
	if st := t.snapshot(); st.Terminal() {
		return nil, fmt.Errorf("task %s is %s", t.spec.Name, st.State)
	}
	pi := a.driverByName(t.spec.Driver)
	if pi == nil {
		return nil, fmt.Errorf("driver %q is not loaded", t.spec.Driver)
	}
	d, _, err := pi.driver()
	return d, err
}

func (a *Agent) handleSignal(w http.ResponseWriter, r *http.Request, t *task) {
	var req api.SignalRequest
	if !a.readJSON(w, r, "signal request", &req) {
		return
	}
	if _, err := config.ParseSignal(req.Signal); err != nil {
		writeErr(w, http.StatusBadRequest, err)
		return
	}
	d, err := a.runningDriver(t)
	if err != nil {
		writeErr(w, http.StatusConflict, err)
		return
	}
	if err := d.SignalTask(r.Context(), t.spec.DriverID(), config.CanonicalSignal(req.Signal)); err != nil {
		writeErr(w, http.StatusInternalServerError, err)
		return
	}
	a.events.add(api.Event{Source: "agent", TaskID: t.spec.ID, TaskName: t.spec.Name, Message: "sent " + config.CanonicalSignal(req.Signal)})
	writeJSON(w, struct{}{})
}

func (a *Agent) handleLogs(w http.ResponseWriter, r *http.Request, t *task) {
	q := r.URL.Query()
	stream := q.Get("stream")
	if stream == "" {
		stream = "stdout"
	}
	if stream != "stdout" && stream != "stderr" {
		writeErr(w, http.StatusBadRequest, fmt.Errorf("stream must be stdout or stderr, got %s", inputlimit.Quote(stream, 0)))
		return
	}
	var from *logmon.Pos
	if q.Has("index") {
		i, err1 := strconv.Atoi(q.Get("index"))
		o, err2 := strconv.ParseInt(q.Get("offset"), 10, 64)
		if err := errors.Join(err1, err2); err != nil || i < 0 || o < 0 {
			writeErr(w, http.StatusBadRequest, fmt.Errorf("index and offset must be non-negative integers, got %s and %s", inputlimit.Quote(q.Get("index"), 0), inputlimit.Quote(q.Get("offset"), 0)))
			return
		}
		from = &logmon.Pos{Index: i, Offset: o}
	}
	follow := q.Get("follow") == "true"
	ctx := r.Context()
	if follow {
		// Stop following once the task has ended and its output is drained.
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		go func() {
			select {
			case <-t.done:
				for i := 0; i < 50; i++ {
					if !a.logs.Running(t.spec.TaskDir) {
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
				time.Sleep(2 * logmon.PollInterval)
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	fl, _ := w.(http.Flusher)
	enc := json.NewEncoder(w)
	_, err := logmon.Read(ctx, logmon.LogDir(t.spec.TaskDir), stream, from, follow, func(b []byte, p logmon.Pos) error {
		if err := enc.Encode(api.LogFrame{Data: b, Index: p.Index, Offset: p.Offset}); err != nil {
			return err
		}
		if fl != nil {
			fl.Flush()
		}
		return nil
	})
	if err != nil {
		a.log.Debug("log stream ended", "task", t.spec.ID, "error", err)
	}
}

func (a *Agent) handleStats(w http.ResponseWriter, r *http.Request, t *task) {
	d, err := a.runningDriver(t)
	if err != nil {
		writeErr(w, http.StatusConflict, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	rcv, err := d.TaskStats(ctx, t.spec.DriverID(), time.Second)
	if err != nil {
		writeErr(w, http.StatusInternalServerError, err)
		return
	}
	m, err := rcv.Recv()
	if err != nil {
		writeErr(w, http.StatusInternalServerError, fmt.Errorf("TaskStats: %w", err))
		return
	}
	cpuLimit, _ := nomadResources(t.parsed.Resources)
	out := api.Stats{TaskID: t.spec.ID, CPULimitMHz: cpuLimit, Pids: len(m.ByPID), Timestamp: m.Timestamp}
	// The host checked the sample (an aggregate is always there); a plugin
	// may leave CPU or memory out.
	if u := m.Aggregate; u != nil && u.CPU != nil {
		c := u.CPU
		out.CPUPercent, out.CPUUserMode, out.CPUSystemMode, out.CPUTotalTicks = c.Percent, c.UserMode, c.SystemMode, c.TotalTicks
		for _, f := range c.Measured {
			out.CPUMeasured = append(out.CPUMeasured, cpuFieldName(f))
		}
	}
	if u := m.Aggregate; u != nil && u.Memory != nil {
		mem := u.Memory
		out.MemoryRSS, out.MemoryUsage, out.MemoryMaxUsage, out.MemorySwap = mem.RSS, mem.Usage, mem.MaxUsage, mem.Swap
		for _, f := range mem.Measured {
			out.MemoryMeasured = append(out.MemoryMeasured, memoryFieldName(f))
		}
	}
	writeJSON(w, out)
}

func (a *Agent) handleEvents(w http.ResponseWriter, r *http.Request) {
	past, ch, unsub := a.events.subscribe()
	defer unsub()
	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(w)
	fl, _ := w.(http.Flusher)
	for _, e := range past {
		if enc.Encode(e) != nil {
			return
		}
	}
	if fl != nil {
		fl.Flush()
	}
	if r.URL.Query().Get("follow") != "true" {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-a.ctx.Done():
			return
		case e := <-ch:
			if enc.Encode(e) != nil {
				return
			}
			if fl != nil {
				fl.Flush()
			}
		}
	}
}

// handleExec upgrades the connection and relays newline-delimited JSON
// frames between the client and ExecTaskStreaming.
func (a *Agent) handleExec(w http.ResponseWriter, r *http.Request, t *task) {
	if r.Header.Get("Upgrade") != api.ExecUpgrade {
		writeErr(w, http.StatusBadRequest, fmt.Errorf("exec needs `Upgrade: %s`", api.ExecUpgrade))
		return
	}
	d, err := a.runningDriver(t)
	if err != nil {
		writeErr(w, http.StatusConflict, err)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		writeErr(w, http.StatusInternalServerError, errors.New("connection cannot be upgraded"))
		return
	}
	conn, brw, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	fmt.Fprintf(brw, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: %s\r\n\r\n", api.ExecUpgrade)
	if err := brw.Flush(); err != nil {
		return
	}
	frames := &frameReader{r: brw.Reader, limit: a.maxExecFrameBytes()}
	var mu sync.Mutex
	enc := json.NewEncoder(conn)
	send := func(o api.ExecOutput) error {
		mu.Lock()
		defer mu.Unlock()
		return enc.Encode(o)
	}
	var req api.ExecRequest
	if err := frames.next("exec request", &req); err != nil {
		_ = send(api.ExecOutput{Exited: true, Error: err.Error()})
		return
	}
	if len(req.Command) == 0 {
		_ = send(api.ExecOutput{Exited: true, Error: "exec request: command must have at least one word"})
		return
	}
	stdinR, stdinW := io.Pipe()
	resize := make(chan host.TerminalSize, 4)
	if req.TTY && req.Width > 0 && req.Height > 0 {
		resize <- host.TerminalSize{Width: req.Width, Height: req.Height}
	}
	ctx, cancel := context.WithCancel(a.ctx)
	defer cancel()
	var inputErr atomic.Pointer[error]
	go func() {
		defer stdinW.Close()
		for {
			var in api.ExecInput
			if err := frames.next("exec input frame", &in); err != nil {
				if !errors.Is(err, io.EOF) {
					// The client went away or sent a bad frame: end the
					// command's stream and say why.
					a.log.Warn("exec session ended", "task", t.spec.ID, "error", err)
					if !isConnErr(err) {
						inputErr.Store(&err)
					}
					cancel()
				}
				return
			}
			if len(in.Stdin) > 0 {
				if _, err := stdinW.Write(in.Stdin); err != nil {
					return
				}
			}
			if in.Width > 0 && in.Height > 0 {
				select {
				case resize <- host.TerminalSize{Width: in.Width, Height: in.Height}:
				default:
				}
			}
			if in.Close {
				return
			}
		}
	}()
	res, err := d.ExecStreaming(ctx, host.ExecOptions{
		TaskID: t.spec.DriverID(), Command: req.Command, TTY: req.TTY, Stdin: stdinR, Resize: resize,
		Stdout: frameWriter(func(b []byte) error { return send(api.ExecOutput{Stdout: b}) }),
		Stderr: frameWriter(func(b []byte) error { return send(api.ExecOutput{Stderr: b}) }),
	})
	stdinR.Close()
	if ie := inputErr.Load(); ie != nil {
		err = *ie // the reason the stream was cut short
	}
	if err != nil {
		_ = send(api.ExecOutput{Exited: true, ExitCode: -1, Error: err.Error()})
		return
	}
	_ = send(api.ExecOutput{Exited: true, ExitCode: res.ExitCode, Signal: res.Signal})
	_ = bufio.NewWriter(conn).Flush()
}

type frameWriter func([]byte) error

func (f frameWriter) Write(b []byte) (int, error) {
	if err := f(append([]byte(nil), b...)); err != nil {
		return 0, err
	}
	return len(b), nil
}
