package vectors

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"google.golang.org/grpc/status"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
	"github.com/yurt-sdk/yurt/go/gen/structspb"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/internal/server"
	"github.com/yurt-sdk/yurt/go/plugin/base"
	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// ErrorKind is one row of the error table: an error kind a plugin raises (the
// kind names are the same in every SDK and in the proto comments), the RPC it
// is raised from, and what the Go SDK's server puts on the wire for it.
type ErrorKind struct {
	Kind string `json:"kind"`
	RPC  string `json:"rpc"`
	// Text is the plugin's own error text (for the kinds that carry one);
	// Field is the config path a config error names.
	Text  string `json:"text,omitempty"`
	Field []any  `json:"field,omitempty"`
	// Code is the gRPC status code name (google.golang.org/grpc/codes).
	Code string `json:"code"`
	// Exact is the exact status message, when the kind fixes it; Contains
	// lists what the message must contain otherwise.
	Exact    string   `json:"exact,omitempty"`
	Contains []string `json:"contains,omitempty"`
	// Recoverable is the structs.RecoverableError detail, absent when none.
	Recoverable *bool `json:"recoverable,omitempty"`
	// GoMessage is the Go SDK's message, for reference.
	GoMessage string `json:"go_message"`
}

// stopper is a driver whose StopTask fails with err and whose optional
// methods are driver.Defaults' (the Unimplemented vectors); its other
// methods are never called (the nil interface, one level deeper so that
// Defaults' methods win).
type stopper struct {
	driver.Defaults
	nilDriver
	err error
}

type nilDriver struct{ driver.Driver }

func (s stopper) StopTask(context.Context, string, time.Duration, string) error { return s.err }

// errorCases builds each kind's Go error and the RPC it is served from.
func errorCases() ([]ErrorKind, error) {
	configErr := func() error {
		spec := hclspec.Object(hclspec.Attrs{"port": hclspec.BlockList("port", 0, 0,
			hclspec.Object(hclspec.Attrs{"to": hclspec.Attr("to", "number", false)}))})
		var out struct {
			Port []struct {
				To int `cty:"to"`
			} `cty:"port"`
		}
		// port[0].to = 1.5 does not fit an int field
		val, err := hclspec.DecodeHCL([]byte("port { to = 1.5 }"), "c.hcl", spec, nil)
		if err != nil {
			return err
		}
		return base.DecodeValue(val, &out)
	}()
	type goCase struct {
		row ErrorKind
		err error
	}
	cases := []goCase{
		{ErrorKind{Kind: "TaskNotFound", RPC: "StopTask"}, driver.ErrTaskNotFound},
		{ErrorKind{Kind: "TaskNotFound", RPC: "InspectTask", Text: "inspect t1"}, fmt.Errorf("inspect t1: %w", driver.ErrTaskNotFound)},
		{ErrorKind{Kind: "Recoverable", RPC: "StartTask", Text: "image pull failed, retry"}, base.NewRecoverableError(errors.New("image pull failed, retry"), true)},
		{ErrorKind{Kind: "Fatal", RPC: "StartTask", Text: "no such image"}, base.NewRecoverableError(errors.New("no such image"), false)},
		{ErrorKind{Kind: "Plain", RPC: "StopTask", Text: "the task refused to die"}, errors.New("the task refused to die")},
		{ErrorKind{Kind: "Plain", RPC: "SetConfig", Text: "unicode é and\nnewline"}, errors.New("unicode é and\nnewline")},
		{ErrorKind{Kind: "InvalidConfig", RPC: "SetConfig", Field: []any{"port", 0, "to"}}, configErr},
		{ErrorKind{Kind: "Unsupported", RPC: "SignalTask"}, errors.New("SignalTask is not supported by this driver")},
		{ErrorKind{Kind: "Unsupported", RPC: "ExecTask"}, errors.New("ExecTask is not supported by this driver")},
	}
	var out []ErrorKind
	for _, c := range cases {
		srv := &server.Driver{Impl: stopper{err: c.err}}
		_, err := srv.StopTask(context.Background(), &driverpb.StopTaskRequest{TaskId: "t1"})
		row, err2 := fill(c.row, err)
		if err2 != nil {
			return nil, err2
		}
		out = append(out, row)
	}
	// Unimplemented: an optional RPC the plugin does not implement.
	for _, rpc := range []string{"Init", "Shutdown"} {
		srv := &server.Driver{Impl: stopper{}}
		var err error
		if rpc == "Init" {
			_, err = srv.Init(context.Background(), &driverpb.InitRequest{})
		} else {
			_, err = srv.Shutdown(context.Background(), &driverpb.ShutdownRequest{})
		}
		row, err2 := fill(ErrorKind{Kind: "Unimplemented", RPC: rpc}, err)
		if err2 != nil {
			return nil, err2
		}
		out = append(out, row)
	}
	return out, nil
}

// fill records the code and message Go put on the wire, and the message
// shape every SDK must match.
func fill(row ErrorKind, err error) (ErrorKind, error) {
	st, ok := status.FromError(err)
	if !ok || err == nil {
		return row, fmt.Errorf("vectors: %s from %s: not a gRPC status: %v", row.Kind, row.RPC, err)
	}
	row.Code, row.GoMessage = st.Code().String(), st.Message()
	for _, d := range st.Details() {
		if r, ok := d.(*structspb.RecoverableError); ok {
			b := r.GetRecoverable()
			row.Recoverable = &b
		}
	}
	switch row.Kind {
	case "TaskNotFound":
		row.Exact = driver.ErrTaskNotFound.Error()
		row.Text = ""
	case "Recoverable", "Fatal", "Plain":
		row.Exact = row.Text
	case "InvalidConfig":
		row.Contains = []string{"port[0].to"}
	case "Unsupported", "Unimplemented":
		row.Contains = []string{row.RPC, "not"}
	}
	if row.Exact != "" && row.Exact != row.GoMessage {
		return row, fmt.Errorf("vectors: %s: Go's message %q is not %q", row.Kind, row.GoMessage, row.Exact)
	}
	for _, c := range row.Contains {
		if !strings.Contains(row.GoMessage, c) {
			return row, fmt.Errorf("vectors: %s: Go's message %q lacks %q", row.Kind, row.GoMessage, c)
		}
	}
	return row, nil
}
