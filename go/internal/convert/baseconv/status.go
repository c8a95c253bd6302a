package baseconv

import (
	"context"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/yurt-sdk/yurt/go/gen/structspb"
	"github.com/yurt-sdk/yurt/go/plugin/base"
)

// StatusError turns a plugin's error into what crosses the wire, as Nomad's
// own servers do: a RecoverableError becomes FailedPrecondition with the
// detail, an error that already is a gRPC status passes unchanged, a
// context error becomes Canceled or DeadlineExceeded, and anything else
// becomes Unknown with the error's text.
func StatusError(err error) error {
	if err == nil {
		return nil
	}
	var rec *base.RecoverableError
	if errors.As(err, &rec) {
		st, derr := status.New(codes.FailedPrecondition, err.Error()).
			WithDetails(&structspb.RecoverableError{Recoverable: rec.Recoverable})
		if derr != nil {
			return status.Error(codes.FailedPrecondition, err.Error())
		}
		return st.Err()
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	switch {
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, err.Error())
	}
	return status.Error(codes.Unknown, err.Error())
}

// ErrorFromStatus is the host-side inverse of StatusError: a status with a
// RecoverableError detail becomes a *RecoverableError holding the message;
// other statuses are returned as they are.
func ErrorFromStatus(err error) error {
	st, ok := status.FromError(err)
	if !ok || err == nil {
		return err
	}
	for _, d := range st.Details() {
		if r, ok := d.(*structspb.RecoverableError); ok {
			return &base.RecoverableError{Err: errors.New(st.Message()), Recoverable: r.GetRecoverable()}
		}
	}
	return err
}
