package supervise

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// exitWaker tells when a process that is not this process's child (a
// reattached task's supervisor) exits: a pidfd in the runtime's poller,
// which turns readable when the process ends, whoever its parent is, and
// stays so. Without it a reattached task's waiter could only look at
// exit.pb every pollMaxReattached: 700 reattached tasks cost a plugin 2,800
// looks a second (issue 19).
type exitWaker struct {
	f    *os.File
	done chan struct{} // closed when the process has exited
}

// openExitWaker returns a waker for pid, or nil where there is none: no
// pidfd support (Linux before 5.3, seccomp), no such process, the runtime
// poller refusing it, or descriptors short (past half the limit, the rest
// is left to the plugin's other work). Without one, waiters look as before.
// Close it when done.
func openExitWaker(pid int) *exitWaker {
	if pid <= 0 {
		return nil
	}
	fd, err := unix.PidfdOpen(pid, unix.PIDFD_NONBLOCK)
	if err == unix.EINVAL { // PIDFD_NONBLOCK is Linux 5.10+
		if fd, err = unix.PidfdOpen(pid, 0); err == nil {
			if err = unix.SetNonblock(fd, true); err != nil {
				_ = unix.Close(fd)
			}
		}
	}
	if err != nil {
		return nil
	}
	var lim unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &lim) == nil && lim.Cur != unix.RLIM_INFINITY && uint64(fd) >= lim.Cur/2 {
		_ = unix.Close(fd)
		return nil
	}
	// A non-blocking descriptor: os.NewFile registers it with the poller.
	f := os.NewFile(uintptr(fd), "pidfd")
	if f.SetReadDeadline(time.Time{}) != nil { // not in the poller
		f.Close()
		return nil
	}
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil
	}
	w := &exitWaker{f: f, done: make(chan struct{})}
	go func() {
		// Read calls the function, and again each time the poller reports the
		// descriptor readable, until it returns true; it fails once Close is called.
		err := rc.Read(func(fd uintptr) bool {
			p := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
			n, err := unix.Poll(p, 0)
			return err == nil && n > 0
		})
		if err == nil {
			close(w.done)
		}
	}()
	return w
}

// wake is closed when the process exits; nil (never ready) for a nil waker.
func (w *exitWaker) wake() <-chan struct{} {
	if w == nil {
		return nil
	}
	return w.done
}

func (w *exitWaker) close() {
	if w != nil {
		w.f.Close()
	}
}
