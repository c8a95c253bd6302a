package agent

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The listener checks SO_PEERCRED on a real unix socket: a connection from
// our own uid is accepted; one the listener is told to refuse (another
// uid, root not allowed) is closed at once and reported.
func TestPeerCredListener(t *testing.T) {
	for _, tc := range []struct {
		name      string
		uid       uint32
		allowRoot bool
		accept    bool
	}{
		{"own uid", uint32(os.Geteuid()), false, true},
		{"other uid", uint32(os.Geteuid()) + 4242, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, err := os.MkdirTemp("", "pc")
			require.NoError(t, err)
			t.Cleanup(func() { os.RemoveAll(dir) })
			ln, err := net.Listen("unix", filepath.Join(dir, "s"))
			require.NoError(t, err)
			refused := make(chan error, 1)
			pl := &peerCredListener{Listener: ln, uid: tc.uid, allowRoot: tc.allowRoot, refused: func(e error) { refused <- e }}
			t.Cleanup(func() { pl.Close() })
			accepted := make(chan net.Conn, 1)
			go func() {
				if c, err := pl.Accept(); err == nil {
					accepted <- c
				}
			}()
			c, err := net.Dial("unix", filepath.Join(dir, "s"))
			require.NoError(t, err)
			defer c.Close()
			select {
			case a := <-accepted:
				assert.True(t, tc.accept, "connection accepted")
				a.Close()
			case e := <-refused:
				assert.False(t, tc.accept, "connection refused: %v", e)
				assert.Contains(t, e.Error(), "refused a connection from uid")
				_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
				_, rerr := c.Read(make([]byte, 1))
				assert.Error(t, rerr, "a refused connection is closed")
			case <-time.After(5 * time.Second):
				t.Fatal("neither accepted nor refused")
			}
		})
	}
}
