// Package dependcheck holds one test: a plugin module OUTSIDE this repository
// that depends on github.com/yurt-sdk/yurt/go (as go/README.md says, with a
// replace to this checkout standing in for the release tag) builds, and the
// binary completes Nomad's go-plugin handshake.
package dependcheck
