package main

import (
	"io"

	"github.com/yurt-sdk/yurt/go/buildinfo"
)

// versionRequested handles `yurt-conformance --version [--json]` before the
// other flags are parsed (-json is a path flag of the run). It reports
// whether argv asked for the version, and the exit status.
func versionRequested(argv []string, stdout io.Writer) (bool, int) {
	if len(argv) == 0 || (argv[0] != "--version" && argv[0] != "-version") {
		return false, 0
	}
	asJSON := false
	for _, a := range argv[1:] {
		switch a {
		case "--json", "-json":
			asJSON = true
		default:
			return false, 0
		}
	}
	if err := buildinfo.Get("yurt-conformance").Write(stdout, asJSON); err != nil {
		return true, 1
	}
	return true, 0
}
