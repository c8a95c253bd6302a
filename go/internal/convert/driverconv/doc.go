// Package driverconv converts the driver's hand-written types
// (go/plugin/driver) to the generated driver messages and back. It is
// internal: the public API speaks only the hand-written types.
package driverconv
