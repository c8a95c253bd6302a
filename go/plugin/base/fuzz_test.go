package base

import (
	"testing"
)

// FuzzDecodeConfig feeds arbitrary bytes, as a host might send them, to
// DecodeConfig: it must return an error or a value, never panic.
func FuzzDecodeConfig(f *testing.F) {
	f.Add([]byte{0x80})
	f.Add([]byte{0x85, 0xa4, 'a', 'r', 'g', 's', 0x90, 0xa7, 'c', 'o', 'm', 'm', 'a', 'n', 'd', 0xa1, 'x', 0xa3, 'e', 'n', 'v', 0xc0, 0xa4, 'n', 'i', 'c', 'e', 0xc0, 0xa4, 'p', 'o', 'r', 't', 0x91, 0x82, 0xa5, 'l', 'a', 'b', 'e', 'l', 0xa1, 'h', 0xa2, 't', 'o', 0x50})
	f.Add([]byte{0xd4, 0x00, 0x00})
	f.Add([]byte{0xc1})
	spec := taskSpec()
	f.Fuzz(func(t *testing.T, b []byte) {
		var cfg taskCfg
		_ = DecodeConfig(b, spec, &cfg)
	})
}
