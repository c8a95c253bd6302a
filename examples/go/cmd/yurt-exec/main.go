// Command yurt-exec is the example process driver; see package execdriver.
// Run by a Nomad-compatible host it serves the plugin; run as
// `yurt-exec supervise <state-dir>` it supervises one task.
package main

import (
	"fmt"
	"os"

	"github.com/yurt-sdk/yurt/examples/go/execdriver"
	"github.com/yurt-sdk/yurt/go/plugin"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == execdriver.SuperviseArg {
		os.Exit(execdriver.Supervise(os.Args[2]))
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "yurt-exec: cannot locate own binary: %v\n", err)
		os.Exit(1)
	}
	logger := plugin.NewLogger(execdriver.Name)
	plugin.Serve(execdriver.New(logger, self))
}
