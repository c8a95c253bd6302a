package host

import (
	"errors"
	"io"
	"strings"

	"github.com/yurt-sdk/yurt/go/gen/driverpb"
)

// FingerprintFailed is the health description Nomad's driver manager records
// when fingerprinting fails (hashicorp/nomad v2.0.5
// client/pluginmanager/drivermanager/instance.go handleFingerprintError).
const FingerprintFailed = "failed to fingerprint driver"

// DriverHealth is a driver's health as Nomad's driver manager shows it: it
// follows the last fingerprint.
type DriverHealth struct {
	// Health is "undetected", "unhealthy" or "healthy".
	Health      string
	Description string
}

// HealthFromFingerprint is the health one fingerprint message gives
// (instance.go handleFingerprint): its health and description, or, when
// the message carries err, unhealthy with FingerprintFailed and the error.
func HealthFromFingerprint(m *driverpb.FingerprintResponse) DriverHealth {
	if e := m.GetErr(); e != "" {
		return DriverHealth{Health: "unhealthy", Description: FingerprintFailed + ": " + e}
	}
	return DriverHealth{Health: strings.ToLower(m.GetHealth().String()), Description: m.GetHealthDescription()}
}

// HealthFromStreamEnd is the health a fingerprint stream's end gives: a
// stream that failed (an error, or an open that failed) makes the driver
// unhealthy, as Nomad's handleFingerprintError does; a stream the plugin
// closed cleanly changes nothing (Nomad reopens it), so ok is false.
func HealthFromStreamEnd(ev StreamEvent) (h DriverHealth, ok bool) {
	if ev.Err == nil || errors.Is(ev.Err, io.EOF) {
		return DriverHealth{}, false
	}
	return DriverHealth{Health: "unhealthy", Description: FingerprintFailed + ": " + ev.Err.Error()}, true
}
