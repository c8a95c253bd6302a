package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// supervise runs: fakeplugin supervise EXITFILE STDOUT STDERR -- CMD ARGS...
// It starts the task in its own process group, prints the task's pid on
// stdout, and records "code signal" in EXITFILE when the task ends. Started in
// a new session, it outlives the plugin, so a fresh plugin process can recover
// the task and learn its real exit status.
func supervise(args []string) {
	if len(args) < 5 || args[3] != "--" {
		fmt.Fprintln(os.Stderr, "usage: fakeplugin supervise EXITFILE STDOUT STDERR -- CMD ARGS...")
		os.Exit(2)
	}
	exitFile, outPath, errPath, argv := args[0], args[1], args[2], args[4:]
	open := func(p string) *os.File {
		if p == "" {
			f, _ := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
			return f
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			fmt.Fprintln(os.Stderr, "opening", p, err)
			os.Exit(3)
		}
		return f
	}
	stdout, stderr := open(outPath), open(errPath)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		_ = os.WriteFile(exitFile, []byte("127 0"), 0o644)
		fmt.Println("0")
		return
	}
	fmt.Println(strconv.Itoa(cmd.Process.Pid))
	_ = os.Stdout.Close()
	_ = cmd.Wait()
	// As Nomad's executors do, nothing the task started outlives its main
	// process: kill the rest of its process group.
	if os.Getenv("FAKEPLUGIN_LEAVE_CHILDREN") == "" {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	code, sig := 0, 0
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok {
		if ws.Signaled() {
			sig = int(ws.Signal())
			code = 128 + sig
		} else {
			code = ws.ExitStatus()
		}
	}
	tmp := exitFile + ".tmp"
	_ = os.WriteFile(tmp, []byte(fmt.Sprintf("%d %d", code, sig)), 0o644)
	_ = os.Rename(tmp, exitFile)
}
