package logmon

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"
)

// Collector reads the FIFOs of many tasks inside one process (the agent):
// two goroutines per task instead of a `yurt logmon` process per task. A
// goroutine parked on an empty FIFO holds no buffer (it waits in the
// runtime poller; a buffer is taken from a shared pool only when data is
// ready), so an idle task costs its goroutines' stacks and six file
// descriptors (read end, held write end and current log file, per stream).
//
// Unlike a `yurt logmon` process, the collector dies with the agent. That
// is safe for tasks supervised by the yurt SDKs (Go, Python via the native
// yurt-supervise, Rust): the supervisor, not the task, writes the FIFO; it
// ignores SIGPIPE, and when the reader goes away it holds the task's output
// and waits up to 10 s for a new reader (supervise.readerWait,
// copier::READER_WAIT), while the task blocks at most on its own full pipe.
// A restarted agent calls Start for every unfinished task before it talks
// to any plugin, so the FIFOs have a reader again well within that window.
type Collector struct {
	mu    sync.Mutex
	tasks map[string]*collection // by Config.Dir
	// opening holds the directories a Start is opening, without mu (a
	// restarted agent reopens thousands at once: opening each under mu made
	// them one at a time, issue 19); closed when that Start has ended.
	opening map[string]chan struct{}
}

type collection struct {
	holds, readers []*os.File
	done           chan struct{} // closed when both pumps returned
	err            error         // set before done is closed
	stopping       bool
}

// NewCollector returns an empty collector.
func NewCollector() *Collector {
	return &Collector{tasks: map[string]*collection{}, opening: map[string]chan struct{}{}}
}

// bufPool holds the read buffers: at most one per stream with data ready.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// Start begins collecting c.Dir's streams unless that is already under way.
// It returns once both FIFOs exist and are open for reading. A `yurt
// logmon` process left by an older agent for the same directory is stopped
// first (it drains what it has), so each FIFO has one reader.
// Starts of different directories open at once; a Start or Stop of a
// directory that another Start is opening waits for it.
func (k *Collector) Start(c Config) error {
	k.mu.Lock()
	k.awaitOpeningLocked(c.Dir)
	if col := k.tasks[c.Dir]; col != nil {
		select {
		case <-col.done:
		default:
			k.mu.Unlock()
			return nil
		}
	}
	opened := make(chan struct{})
	k.opening[c.Dir] = opened
	k.mu.Unlock()
	col, err := func() (*collection, error) {
		if _, ok := Running(c.Dir); ok {
			if err := Stop(c.Dir, 5*time.Second); err != nil {
				return nil, err
			}
		}
		return open(c)
	}()
	k.mu.Lock()
	if err == nil {
		k.tasks[c.Dir] = col
	}
	delete(k.opening, c.Dir)
	close(opened)
	k.mu.Unlock()
	return err
}

// awaitOpeningLocked waits, with mu held on entry and on return, until no
// Start is opening dir.
func (k *Collector) awaitOpeningLocked(dir string) {
	for {
		ch := k.opening[dir]
		if ch == nil {
			return
		}
		k.mu.Unlock()
		<-ch
		k.mu.Lock()
	}
}

func open(c Config) (*collection, error) {
	if err := os.MkdirAll(LogDir(c.Dir), 0o700); err != nil {
		return nil, fmt.Errorf("logmon: %w", err)
	}
	col := &collection{done: make(chan struct{})}
	var rots []*Rotator
	fail := func(err error) (*collection, error) {
		for _, f := range append(col.holds, col.readers...) {
			f.Close()
		}
		for _, r := range rots {
			r.Close()
		}
		return nil, err
	}
	for _, s := range Streams {
		path := c.FIFOPath(s)
		if err := syscall.Mkfifo(path, 0o600); err != nil && !errors.Is(err, syscall.EEXIST) {
			return fail(fmt.Errorf("logmon: mkfifo %s: %w", path, err))
		}
		if st, err := os.Stat(path); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
			return fail(fmt.Errorf("logmon: %s exists and is not a FIFO", path))
		}
		// Non-blocking open of the read end never waits for a writer.
		r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			return fail(fmt.Errorf("logmon: open %s: %w", path, err))
		}
		col.readers = append(col.readers, r)
		// A held write end: the reader never sees EOF while the supervisor
		// reopens the FIFO.
		w, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return fail(fmt.Errorf("logmon: open %s for writing: %w", path, err))
		}
		col.holds = append(col.holds, w)
		rot, err := NewRotator(LogDir(c.Dir), s, c.MaxFiles, c.MaxFileSize)
		if err != nil {
			return fail(err)
		}
		rots = append(rots, rot)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(Streams))
	for i := range Streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer rots[i].Close()
			if err := pump(col.readers[i], rots[i]); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) && !errors.Is(err, os.ErrClosed) {
				errs[i] = fmt.Errorf("logmon: %s: %w", Streams[i], err)
			}
		}()
	}
	go func() {
		wg.Wait()
		for _, f := range append(col.holds, col.readers...) {
			f.Close()
		}
		col.err = errors.Join(errs...)
		close(col.done)
	}()
	return col, nil
}

// pump copies r into rot until EOF (every writer gone), a read deadline or
// an error. It waits for data without holding a buffer.
func pump(r *os.File, rot *Rotator) error {
	rc, err := r.SyscallConn()
	if err != nil {
		return err
	}
	for {
		var buf *[]byte
		var n int
		var rerr error
		err := rc.Read(func(fd uintptr) bool {
			b := bufPool.Get().(*[]byte)
			for {
				n, rerr = syscall.Read(int(fd), *b)
				if rerr != syscall.EINTR {
					break
				}
			}
			if rerr == syscall.EAGAIN {
				bufPool.Put(b)
				return false // wait in the poller
			}
			buf = b
			return true
		})
		if err != nil {
			return err
		}
		if rerr != nil || n <= 0 {
			bufPool.Put(buf)
			return rerr // nil at EOF
		}
		_, werr := rot.Write((*buf)[:n])
		bufPool.Put(buf)
		if werr != nil {
			return werr
		}
	}
}

// Running reports whether dir's streams are being collected.
func (k *Collector) Running(dir string) bool {
	k.mu.Lock()
	col := k.tasks[dir]
	k.mu.Unlock()
	if col == nil {
		return false
	}
	select {
	case <-col.done:
		return false
	default:
		return true
	}
}

// Err is why dir's collection ended by itself (nil while it runs or after
// a Stop).
func (k *Collector) Err(dir string) error {
	k.mu.Lock()
	col := k.tasks[dir]
	k.mu.Unlock()
	if col == nil {
		return nil
	}
	select {
	case <-col.done:
		return col.err
	default:
		return nil
	}
}

// Stop drains dir's streams and stops collecting them: the held write ends
// are closed, so the readers see EOF once every writer (the supervisor) is
// gone and what it wrote is read; a writer that stays is cut off after
// drainTimeout. Stop waits up to timeout.
func (k *Collector) Stop(dir string, timeout time.Duration) error {
	k.mu.Lock()
	k.awaitOpeningLocked(dir)
	col := k.tasks[dir]
	delete(k.tasks, dir)
	k.mu.Unlock()
	if col == nil {
		// Perhaps an older agent's collector process.
		return Stop(dir, timeout)
	}
	col.stop(time.Now().Add(drainTimeout))
	select {
	case <-col.done:
		return nil
	case <-time.After(timeout):
		col.stop(time.Now())
		return fmt.Errorf("logmon: collector of %s did not drain within %s; cut off", dir, timeout)
	}
}

func (col *collection) stop(deadline time.Time) {
	for _, w := range col.holds {
		w.Close()
	}
	for _, r := range col.readers {
		_ = r.SetReadDeadline(deadline)
	}
}

// Close stops every collection without waiting for writers: what the
// supervisors write meanwhile stays in the FIFOs (or is held by the
// supervisors) for the next reader. For an agent that exits while its
// tasks go on.
func (k *Collector) Close(ctx context.Context) {
	k.mu.Lock()
	for len(k.opening) > 0 {
		for dir := range k.opening {
			k.awaitOpeningLocked(dir)
			break
		}
	}
	cols := k.tasks
	k.tasks = map[string]*collection{}
	k.mu.Unlock()
	for _, col := range cols {
		col.stop(time.Now())
	}
	for _, col := range cols {
		select {
		case <-col.done:
		case <-ctx.Done():
			return
		}
	}
}
