package base

import (
	"context"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/yurt-sdk/yurt/go/gen/structspb"
)

// RecoverableError marks a StartTask or TaskStats failure that Nomad may
// retry (Recoverable true) or must not (false). On the wire it is a gRPC
// FailedPrecondition status carrying a structs.RecoverableError detail.
type RecoverableError struct {
	Err         error
	Recoverable bool
}

// NewRecoverableError wraps err; a nil err yields nil.
func NewRecoverableError(err error, recoverable bool) error {
	if err == nil {
		return nil
	}
	return &RecoverableError{Err: err, Recoverable: recoverable}
}

// Error is the wrapped error's text.
func (e *RecoverableError) Error() string {
	if e.Err == nil {
		return "recoverable error"
	}
	return e.Err.Error()
}

// Unwrap returns the wrapped error, for errors.Is and errors.As.
func (e *RecoverableError) Unwrap() error { return e.Err }

// IsRecoverable reports whether err carries a RecoverableError that says so.
func IsRecoverable(err error) bool {
	var r *RecoverableError
	return errors.As(err, &r) && r.Recoverable
}

// StatusError turns a plugin's error into what crosses the wire, as Nomad's
// own servers do: a RecoverableError becomes FailedPrecondition with the
// detail, an error that already is a gRPC status passes unchanged, a
// context error becomes Canceled or DeadlineExceeded, and anything else
// becomes Unknown with the error's text.
func StatusError(err error) error {
	if err == nil {
		return nil
	}
	var rec *RecoverableError
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
			return &RecoverableError{Err: errors.New(st.Message()), Recoverable: r.GetRecoverable()}
		}
	}
	return err
}
