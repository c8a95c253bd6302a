// Command sampleplugin serves the sample driver, or with the argument
// "device" the sample device plugin, as a real plugin binary.
package main

import (
	"os"

	"github.com/yurt-sdk/yurt/go/plugin"
	"github.com/yurt-sdk/yurt/go/plugin/plugintest/internal/sample"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "device" {
		plugin.ServeDevice(sample.Device{})
		return
	}
	plugin.ServeDriver(&sample.Driver{})
}
