package host

import (
	"errors"
	"io"

	"github.com/yurt-sdk/yurt/go/plugin/driver"
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
func HealthFromFingerprint(m *driver.Fingerprint) DriverHealth {
	if m == nil {
		return DriverHealth{Health: "undetected"}
	}
	if m.Err != nil && m.Err.Error() != "" {
		return DriverHealth{Health: "unhealthy", Description: FingerprintFailed + ": " + m.Err.Error()}
	}
	return DriverHealth{Health: healthName(m.Health), Description: m.HealthDescription}
}

// healthName is the lower-case name of a health state; the typed client
// refuses values outside the three (validate.go), so another one reads as
// Nomad reads it: undetected.
func healthName(h driver.HealthState) string {
	switch h {
	case driver.HealthStateHealthy:
		return "healthy"
	case driver.HealthStateUnhealthy:
		return "unhealthy"
	}
	return "undetected"
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
