package supervise

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// Output copying bounds. The task writes into a pipe; the supervisor copies
// it to the sink path (Nomad's FIFO). Nothing blocks forever: while a reader
// exists, writes wait for it (back-pressure, nothing lost); when there is
// none, the copier waits up to readerWait for one, then discards output
// while none is there, trying again for each new chunk; when the path is
// gone, output is discarded for good.
var (
	openRetry  = 50 * time.Millisecond
	readerWait = 10 * time.Second
)

// sink is one output destination.
type sink struct {
	path    string
	f       *os.File
	opened  bool      // opened once: a missing path afterwards means "gone"
	gone    bool      // the path was removed: discard for good
	waitEnd time.Time // zero: no wait in progress; else wait for a reader until then
	absent  bool      // waited in vain: try once per chunk, do not wait again
}

// copyOutput copies src to path until src ends (every writer closed), then
// closes done.
func copyOutput(src *os.File, path string, done chan<- struct{}) {
	defer close(done)
	defer src.Close()
	k := &sink{path: path}
	defer k.close()
	buf := make([]byte, 8<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			k.write(buf[:n])
		}
		if err != nil {
			return
		}
	}
}

func (k *sink) close() {
	if k.f != nil {
		_ = k.f.Close()
		k.f = nil
	}
}

// write delivers p, or drops it when no reader can be had in time.
func (k *sink) write(p []byte) {
	for len(p) > 0 {
		if k.f == nil && !k.open() {
			return
		}
		n, err := k.f.Write(p)
		p = p[n:]
		if err != nil {
			// EPIPE: the reader went away. Wait for a new one (bounded).
			k.close()
			k.absent = false
			k.waitEnd = time.Time{}
		}
	}
}

// open opens the sink for writing; false means "drop this chunk".
func (k *sink) open() bool {
	if k.path == "" || k.gone {
		return false
	}
	for {
		f, err := k.tryOpen()
		if err == nil {
			k.f, k.opened, k.absent, k.waitEnd = f, true, false, time.Time{}
			return true
		}
		if !errors.Is(err, syscall.ENXIO) {
			// ENOENT after the first open: the path is gone. Anything
			// else (permissions, a directory): nothing to wait for.
			k.gone = true
			return false
		}
		// ENXIO: a FIFO with no reader.
		if k.absent {
			return false
		}
		now := time.Now()
		if k.waitEnd.IsZero() {
			k.waitEnd = now.Add(readerWait)
		}
		if now.After(k.waitEnd) {
			k.absent = true
			return false
		}
		time.Sleep(openRetry)
	}
}

// tryOpen never blocks: a FIFO is opened O_NONBLOCK (ENXIO while no reader
// has it open), which Go then waits on through its poller, so writes wait
// for a slow reader without holding a thread. A path that does not exist
// on the first open is created as a regular file.
func (k *sink) tryOpen() (*os.File, error) {
	flags := os.O_WRONLY | os.O_APPEND | syscall.O_NONBLOCK
	if !k.opened {
		if _, err := os.Stat(k.path); errors.Is(err, os.ErrNotExist) {
			flags |= os.O_CREATE
		}
	}
	return os.OpenFile(k.path, flags, 0o600)
}
