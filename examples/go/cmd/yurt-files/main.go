// Command yurt-files is the example device plugin; see package filesdevice.
package main

import (
	"github.com/yurt-sdk/yurt/examples/go/filesdevice"
	"github.com/yurt-sdk/yurt/go/plugin"
)

func main() {
	plugin.ServeDevice(filesdevice.New(plugin.NewLogger(filesdevice.Name)))
}
