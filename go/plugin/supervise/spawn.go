package supervise

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// defaultPath is used when the task's environment has no PATH.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// launch is a resolved spec: everything checked, ready to fork.
type launch struct {
	path string
	argv []string
	env  []string
	dir  string
	cred *syscall.Credential // nil: the plugin's own user
}

// resolve checks a spec the way the task will see it and names the field at
// fault: command, user, working_dir.
func resolve(s *Spec) (*launch, error) {
	cred, err := lookupUser(s.User)
	if err != nil {
		return nil, err
	}
	dir := s.WorkingDir
	if dir == "" {
		dir = "/"
	} else if err := checkWorkingDir(dir, cred); err != nil {
		return nil, err
	}
	path, err := lookupCommand(s.Command, dir, s.Env)
	if err != nil {
		return nil, err
	}
	return &launch{path: path, argv: append([]string{s.Command}, s.Args...), env: s.Env, dir: dir, cred: cred}, nil
}

// lookupUser returns the credential to run as; nil when the task runs as the
// plugin's own user.
func lookupUser(name string) (*syscall.Credential, error) {
	if name == "" {
		return nil, nil
	}
	var u *user.User
	var err error
	if _, nerr := strconv.ParseUint(name, 10, 32); nerr == nil {
		u, err = user.LookupId(name)
	} else {
		u, err = user.Lookup(name)
	}
	if err != nil {
		return nil, fmt.Errorf("user %q: no such user on this host (%v)", name, err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("user %q: uid %q / gid %q are not numeric", name, u.Uid, u.Gid)
	}
	if int(uid) == os.Geteuid() {
		return nil, nil
	}
	if os.Geteuid() != 0 {
		return nil, fmt.Errorf("user %q: running a task as another user needs the plugin to run as root (it runs as uid %d)", name, os.Geteuid())
	}
	cred := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	if ids, err := u.GroupIds(); err == nil {
		for _, g := range ids {
			if n, err := strconv.ParseUint(g, 10, 32); err == nil {
				cred.Groups = append(cred.Groups, uint32(n))
			}
		}
	}
	return cred, nil
}

// checkWorkingDir requires an existing directory the task's user may enter
// and write.
func checkWorkingDir(dir string, cred *syscall.Credential) error {
	if !filepath.IsAbs(dir) {
		return fmt.Errorf("working_dir %q: expected an absolute path", dir)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("working_dir %q: %v", dir, unwrapPathError(err))
	}
	if !fi.IsDir() {
		return fmt.Errorf("working_dir %q: not a directory", dir)
	}
	if cred == nil {
		if err := unix.Access(dir, unix.W_OK|unix.X_OK); err != nil {
			return fmt.Errorf("working_dir %q: not writable by uid %d: %v", dir, os.Geteuid(), err)
		}
		return nil
	}
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		if pfi, err := os.Stat(d); err == nil && !permits(pfi, cred, 0o1) {
			return fmt.Errorf("working_dir %q: not reachable by uid %d: %s is mode %v", dir, cred.Uid, d, pfi.Mode().Perm())
		}
		if d == "/" {
			break
		}
	}
	if !permits(fi, cred, 0o3) {
		return fmt.Errorf("working_dir %q: not writable by uid %d (mode %v, owner %d:%d)", dir, cred.Uid, fi.Mode().Perm(),
			fi.Sys().(*syscall.Stat_t).Uid, fi.Sys().(*syscall.Stat_t).Gid)
	}
	return nil
}

// permits checks the permission bits want (rwx as 4/2/1) of fi for cred,
// as the kernel would without ACLs. Root passes.
func permits(fi fs.FileInfo, cred *syscall.Credential, want fs.FileMode) bool {
	if cred.Uid == 0 {
		return true
	}
	st := fi.Sys().(*syscall.Stat_t)
	mode := fi.Mode().Perm()
	switch {
	case st.Uid == cred.Uid:
		return (mode>>6)&want == want
	case st.Gid == cred.Gid || containsGID(cred.Groups, st.Gid):
		return (mode>>3)&want == want
	}
	return mode&want == want
}

func containsGID(gs []uint32, g uint32) bool {
	for _, x := range gs {
		if x == g {
			return true
		}
	}
	return false
}

// lookupCommand resolves the command as Nomad's executor does
// (drivers/shared/executor/executor.go, lookupBin): a bare name is looked for
// in <task dir>/local, in the task dir and then in PATH; here the task dir is
// the working directory and PATH is the task's own.
func lookupCommand(cmd, dir string, env []string) (string, error) {
	if strings.TrimSpace(cmd) == "" {
		return "", errors.New("command is empty, expected a program to run")
	}
	if strings.Contains(cmd, "/") {
		path := cmd
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		if err := checkExecutable(path); err != nil {
			return "", fmt.Errorf("command %q: %v", cmd, err)
		}
		return path, nil
	}
	if dir != "/" {
		for _, d := range []string{filepath.Join(dir, "local"), dir} {
			if p := filepath.Join(d, cmd); checkExecutable(p) == nil {
				return p, nil
			}
		}
	}
	pathVar := defaultPath
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			pathVar = v
		}
	}
	for _, d := range filepath.SplitList(pathVar) {
		if d == "" || !filepath.IsAbs(d) {
			continue
		}
		if p := filepath.Join(d, cmd); checkExecutable(p) == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("command %q: not found in the task's PATH %q", cmd, pathVar)
}

func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return unwrapPathError(err)
	}
	if fi.IsDir() {
		return errors.New("is a directory")
	}
	if fi.Mode().Perm()&0o111 == 0 {
		return errors.New("is not executable")
	}
	return nil
}

// unwrapPathError drops the path an *fs.PathError repeats.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
