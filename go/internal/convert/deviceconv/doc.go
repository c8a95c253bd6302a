// Package deviceconv converts the device plugin's hand-written types
// (go/plugin/device) to the generated device messages and back. It is
// internal: the public API speaks only the hand-written types.
package deviceconv
