// Command go-files is the example device plugin; see package gofiles.
package main

import (
	"github.com/yurt-sdk/yurt/examples/go/go-files/gofiles"
	"github.com/yurt-sdk/yurt/go/plugin"
)

func main() {
	plugin.ServeDevice(gofiles.New(plugin.NewLogger(gofiles.Name)))
}
