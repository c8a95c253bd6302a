package base

import "errors"

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
