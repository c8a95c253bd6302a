// Command go-exec is the example process driver; see package goexec.
// plugin.ServeDriver also makes it the per-task supervisor when the supervision
// layer re-executes it as `go-exec yurt-supervise <state dir>`.
package main

import (
	"github.com/yurt-sdk/yurt/examples/go/go-exec/goexec"
	"github.com/yurt-sdk/yurt/go/plugin"
)

func main() {
	plugin.ServeDriver(goexec.New(plugin.NewLogger(goexec.Name)))
}
