// Package server holds the gRPC servers that serve a plugin's hand-written
// interfaces (base.Plugin, driver.Driver, device.Device) on Nomad's wire:
// Base, Driver and Device call the plugin and map its answers and errors
// through the internal converters, as Nomad's own plugin servers do.
package server
