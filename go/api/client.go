package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
)

// Client talks to an agent over its unix socket.
type Client struct {
	socket string
	hc     *http.Client
}

// NewClient returns a client for the agent listening on socket.
func NewClient(socket string) *Client {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", socket)
		},
		DisableCompression: true,
	}
	return &Client{socket: socket, hc: &http.Client{Transport: tr}}
}

// StatusError is a non-2xx answer from the agent.
type StatusError struct {
	Code    int
	Message string
	// RPCCode is the gRPC status code behind the error, when a plugin gave one.
	RPCCode string
}

func (e *StatusError) Error() string { return e.Message }

// IsNotFound reports whether err is a 404 from the agent.
func IsNotFound(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Code == http.StatusNotFound
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	resp, err := c.open(ctx, method, path, in)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("agent answer to %s %s: %w", method, path, err)
	}
	return nil
}

func (c *Client) open(ctx context.Context, method, path string, in any) (*http.Response, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://yurt"+path, body)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		var e Error
		b, _ := io.ReadAll(resp.Body)
		if json.Unmarshal(b, &e) != nil || e.Error == "" {
			e.Error = fmt.Sprintf("agent answered %s: %s", resp.Status, bytes.TrimSpace(b))
		}
		msg, code := SplitRPCError(e.Error)
		if e.Code != "" {
			code = e.Code
		}
		return nil, &StatusError{Code: resp.StatusCode, Message: msg, RPCCode: code}
	}
	return resp, nil
}

// UnreachableError is a request that never reached the agent: nothing
// listens on the socket (or it is not there). The request had no effect.
type UnreachableError struct {
	Socket string
	Err    error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach the yurt agent at %s (is `yurt agent` running? set YURT_ADDR or -address): %v", e.Socket, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// InterruptedError is a request the agent received but did not answer:
// the caller gave up (Ctrl-C, a deadline) or the connection broke. The
// agent may still carry it out.
type InterruptedError struct {
	Request string // "POST /v1/tasks"
	Err     error
}

func (e *InterruptedError) Error() string {
	return fmt.Sprintf("the yurt agent received %s but its answer did not arrive (%v); it may still carry it out: check with `yurt status`", e.Request, e.Err)
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// transportError tells a request that never reached the agent from one it
// received and did not answer.
func (c *Client) transportError(ctx context.Context, method, path string, err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return &UnreachableError{Socket: c.socket, Err: err}
	}
	if ce := ctx.Err(); ce != nil {
		err = fmt.Errorf("interrupted: %w", ce)
	}
	return &InterruptedError{Request: method + " " + path, Err: err}
}

func taskPath(ref, suffix string) string { return "/v1/tasks/" + url.PathEscape(ref) + suffix }

// Tasks lists every task the agent knows.
func (c *Client) Tasks(ctx context.Context) ([]Task, error) {
	var out []Task
	return out, c.do(ctx, http.MethodGet, "/v1/tasks", nil, &out)
}

// Task returns one task by name or ID.
func (c *Client) Task(ctx context.Context, ref string) (Task, error) {
	var out Task
	return out, c.do(ctx, http.MethodGet, taskPath(ref, ""), nil, &out)
}

// Run submits a task file.
func (c *Client) Run(ctx context.Context, req RunRequest) (RunResponse, error) {
	var out RunResponse
	return out, c.do(ctx, http.MethodPost, "/v1/tasks", req, &out)
}

// Stop stops a task and returns it once it has ended.
func (c *Client) Stop(ctx context.Context, ref string) (Task, error) {
	var out Task
	return out, c.do(ctx, http.MethodPost, taskPath(ref, "/stop"), nil, &out)
}

// Signal sends a signal to a running task.
func (c *Client) Signal(ctx context.Context, ref, sig string) error {
	return c.do(ctx, http.MethodPost, taskPath(ref, "/signal"), SignalRequest{Signal: sig}, nil)
}

// Stats returns one resource usage sample.
func (c *Client) Stats(ctx context.Context, ref string) (Stats, error) {
	var out Stats
	return out, c.do(ctx, http.MethodGet, taskPath(ref, "/stats"), nil, &out)
}

// Plugins lists the plugins.
func (c *Client) Plugins(ctx context.Context) ([]Plugin, error) {
	var out []Plugin
	return out, c.do(ctx, http.MethodGet, "/v1/plugins", nil, &out)
}

// Devices lists the fingerprinted device groups.
func (c *Client) Devices(ctx context.Context) ([]DeviceGroup, error) {
	var out []DeviceGroup
	return out, c.do(ctx, http.MethodGet, "/v1/devices", nil, &out)
}

// Logs streams a task's log frames to fn, from a position (nil: the start).
func (c *Client) Logs(ctx context.Context, ref, stream string, follow bool, from *LogFrame, fn func(LogFrame) error) error {
	q := url.Values{"stream": {stream}}
	if follow {
		q.Set("follow", "true")
	}
	if from != nil {
		q.Set("index", strconv.Itoa(from.Index))
		q.Set("offset", strconv.FormatInt(from.Offset, 10))
	}
	return streamJSON(ctx, c, taskPath(ref, "/logs?"+q.Encode()), "log stream", fn)
}

// Events streams the agent's events to fn; without follow it returns after
// the buffered ones.
func (c *Client) Events(ctx context.Context, follow bool, fn func(Event) error) error {
	path := "/v1/events"
	if follow {
		path += "?follow=true"
	}
	return streamJSON(ctx, c, path, "event stream", fn)
}

// streamJSON GETs path and hands each JSON value of the answer to fn until
// the agent ends the stream or ctx is done (both return nil).
func streamJSON[T any](ctx context.Context, c *Client, path, what string, fn func(T) error) error {
	resp, err := c.open(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for {
		var v T
		if err := dec.Decode(&v); err != nil {
			if errors.Is(err, io.EOF) || ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("%s: %w", what, err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
}

// ExecSession is an open exec stream.
type ExecSession struct {
	rwc  io.ReadWriteCloser
	dec  *json.Decoder
	mu   sync.Mutex
	enc  *json.Encoder
	once sync.Once
}

// Send sends one input frame.
func (s *ExecSession) Send(in ExecInput) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enc.Encode(in)
}

// Recv returns the next output frame.
func (s *ExecSession) Recv() (ExecOutput, error) {
	var out ExecOutput
	err := s.dec.Decode(&out)
	return out, err
}

// Close ends the session.
func (s *ExecSession) Close() error {
	var err error
	s.once.Do(func() { err = s.rwc.Close() })
	return err
}

// ExecUpgrade is the Upgrade token of the exec endpoint.
const ExecUpgrade = "yurt-exec"

// Exec starts a command in a task's context.
func (c *Client) Exec(ctx context.Context, ref string, req ExecRequest) (*ExecSession, error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://yurt"+taskPath(ref, "/exec"), nil)
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Connection", "Upgrade")
	hreq.Header.Set("Upgrade", ExecUpgrade)
	resp, err := c.hc.Do(hreq)
	if err != nil {
		return nil, c.transportError(ctx, http.MethodPost, taskPath(ref, "/exec"), err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		defer resp.Body.Close()
		var e Error
		b, _ := io.ReadAll(resp.Body)
		if json.Unmarshal(b, &e) != nil || e.Error == "" {
			e.Error = fmt.Sprintf("agent answered %s: %s", resp.Status, bytes.TrimSpace(b))
		}
		msg, code := SplitRPCError(e.Error)
		if e.Code != "" {
			code = e.Code
		}
		return nil, &StatusError{Code: resp.StatusCode, Message: msg, RPCCode: code}
	}
	rwc, ok := resp.Body.(io.ReadWriteCloser)
	if !ok {
		resp.Body.Close()
		return nil, errors.New("exec: agent connection is not bidirectional")
	}
	s := &ExecSession{rwc: rwc, dec: json.NewDecoder(bufio.NewReader(rwc)), enc: json.NewEncoder(rwc)}
	if err := s.enc.Encode(req); err != nil {
		rwc.Close()
		return nil, fmt.Errorf("exec: %w", err)
	}
	return s, nil
}
