// Package baseconv converts the base plugin's hand-written types
// (go/plugin/base) to the generated wire messages and back, and maps errors
// to gRPC statuses and back. nil maps to nil both ways; a zero value maps to
// a zero (non-nil) message. It is internal: the public API speaks only the
// hand-written types.
package baseconv
