// Command yurt-exec is the example process driver; see package execdriver.
// plugin.ServeDriver also makes it the per-task supervisor when the supervision
// layer re-executes it as `yurt-exec yurt-supervise <state dir>`.
package main

import (
	"github.com/yurt-sdk/yurt/examples/go/execdriver"
	"github.com/yurt-sdk/yurt/go/plugin"
)

func main() {
	plugin.ServeDriver(execdriver.New(plugin.NewLogger(execdriver.Name)))
}
