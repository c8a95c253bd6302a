package supervise

import (
	"syscall"
	"unsafe"
)

// kernelSigaction is struct sigaction as the rt_sigaction system call takes it
// on Linux (handler, flags, restorer, mask), not glibc's layout.
type kernelSigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

const sigIgn = 1 // SIG_IGN

// defaultIgnoredSignals sets every signal that is still ignored in this
// process back to its default disposition, so that the task forked next does
// not inherit SIG_IGN across exec. os/signal.Notify already undoes an
// inherited SIG_IGN for the signals Go lets a program catch, but not for the
// ones the runtime keeps to itself: glibc's reserved 32 and 33 among them,
// which GNU make, for one, leaves ignored in everything it runs. Only ignored
// signals are touched, so the Go runtime's own handlers stay in place.
func defaultIgnoredSignals() {
	for sig := 1; sig <= 64; sig++ {
		if sig == int(syscall.SIGKILL) || sig == int(syscall.SIGSTOP) {
			continue
		}
		var old kernelSigaction
		if _, _, e := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), 0,
			uintptr(unsafe.Pointer(&old)), 8, 0, 0); e != 0 || old.handler != sigIgn {
			continue
		}
		def := kernelSigaction{} // SIG_DFL, no flags, empty mask
		_, _, _ = syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig),
			uintptr(unsafe.Pointer(&def)), 0, 8, 0, 0)
	}
}
