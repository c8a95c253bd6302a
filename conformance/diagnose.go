package conformance

import (
	"errors"
	"fmt"
	"strings"

	"github.com/yurt-sdk/yurt/go/host"
)

// A plugin that dies (or talks on stdout) before the go-plugin handshake is
// diagnosed once: the run's problems hold its exit status, the last lines of
// its stderr and a hint (host.LaunchError), printed at ERROR level on the
// progress stream; handshake/launch fails naming the status, and the cases
// it blocks say so without repeating the cause.

// launchError returns the host's diagnosis of a failed launch when it says
// more than a raw relaunch would (rawDiagnosis): the plugin ended by itself
// and left stderr lines, or it wrote on stdout instead of the handshake line.
// A plugin the host stopped for another reason (a handshake line of another
// protocol) is explained by go-plugin's error and rawDiagnosis.
func launchError(err error) (*host.LaunchError, bool) {
	var le *host.LaunchError
	if err == nil || !errors.As(err, &le) {
		return nil, false
	}
	ended := strings.HasPrefix(le.Status, "exited") || strings.HasPrefix(le.Status, "was killed")
	return le, (ended && len(le.Stderr) > 0) || strings.Contains(le.Hint, "stdout")
}

// launchBrief is err in one short line; for a diagnosed launch failure it
// leaves the cause to the run's problems.
func launchBrief(err error) string {
	if le, ok := launchError(err); ok {
		return fmt.Sprintf("the plugin %s before completing the handshake (cause: see problem)", le.Status)
	}
	return oneLine(err.Error(), 200)
}

// diagnosed reports whether err carries the host's diagnosis (launchError).
func diagnosed(err error) bool {
	_, ok := launchError(err)
	return ok
}

// reportLaunchFailure adds the diagnosis of the probe's failed launch to the
// run's problems and prints it at ERROR level on the progress stream.
func (h *Harness) reportLaunchFailure(r *Report) {
	le, ok := launchError(h.launchErr)
	if !ok {
		return
	}
	msg := fmt.Sprintf("the plugin %s could not be launched: %s", h.cfg.PluginPath, le.Error())
	r.Problems = append(r.Problems, msg)
	if h.cfg.Progress != nil {
		fmt.Fprintf(h.cfg.Progress, "ERROR %s\n", msg)
	}
}
