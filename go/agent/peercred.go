package agent

import (
	"errors"
	"fmt"
	"net"

	"golang.org/x/sys/unix"
)

// peerCredListener accepts only connections from the agent's own user (and
// root, who can read the state file anyway), checked with SO_PEERCRED on
// each unix connection. The socket's 0600 mode in a 0700 data dir already
// keeps others out; this holds even if those modes are loosened by hand.
type peerCredListener struct {
	net.Listener
	uid       uint32
	allowRoot bool
	// refused is called with the reason for each refused connection.
	refused func(error)
}

func (l *peerCredListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if err := l.check(c); err != nil {
			if l.refused != nil {
				l.refused(err)
			}
			_ = c.Close()
			continue
		}
		return c, nil
	}
}

func (l *peerCredListener) check(c net.Conn) error {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return fmt.Errorf("api: expected a unix connection, got %T", c)
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return fmt.Errorf("api: peer credentials: %w", err)
	}
	var cred *unix.Ucred
	var serr error
	if err := raw.Control(func(fd uintptr) {
		cred, serr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return fmt.Errorf("api: peer credentials: %w", err)
	}
	if serr != nil {
		return fmt.Errorf("api: peer credentials: %w", serr)
	}
	if cred.Uid == l.uid || (l.allowRoot && cred.Uid == 0) {
		return nil
	}
	return errors.New("api: refused a connection from uid " + fmt.Sprint(cred.Uid) + " (pid " + fmt.Sprint(cred.Pid) + "): only uid " + fmt.Sprint(l.uid) + " may use this agent")
}
