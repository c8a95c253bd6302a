package host

import (
	"errors"
	"strings"

	"github.com/yurt-sdk/yurt/go/gen/structspb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ErrTaskNotFoundText is the text Nomad matches to recognise a missing task.
const ErrTaskNotFoundText = "task not found for given id"

// IsTaskNotFound reports whether err carries Nomad's "task not found" text; plain
// errors cross the wire as gRPC Unknown, so only the text identifies it.
func IsTaskNotFound(err error) bool {
	if err == nil {
		return false
	}
	if st, ok := status.FromError(unwrapStatus(err)); ok {
		return strings.Contains(st.Message(), ErrTaskNotFoundText)
	}
	return strings.Contains(err.Error(), ErrTaskNotFoundText)
}

// IsUnimplemented reports whether err is gRPC Unimplemented.
func IsUnimplemented(err error) bool {
	return status.Code(unwrapStatus(err)) == codes.Unimplemented
}

// Recoverable reports whether err carries Nomad's RecoverableError status detail
// and, if so, its recoverable flag.
func Recoverable(err error) (recoverable, present bool) {
	st, ok := status.FromError(unwrapStatus(err))
	if !ok {
		return false, false
	}
	for _, d := range st.Details() {
		if re, ok := d.(*structspb.RecoverableError); ok {
			return re.GetRecoverable(), true
		}
	}
	return false, false
}

// unwrapStatus finds the innermost error that carries a gRPC status.
func unwrapStatus(err error) error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if _, ok := e.(interface{ GRPCStatus() *status.Status }); ok {
			return e
		}
	}
	return err
}
