package supervise

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// The task's cgroup: where the plugin runs as root and a cgroup hierarchy is
// writable, every task runs in a cgroup of its own, as under Nomad's exec
// driver (drivers/shared/executor/executor_linux.go puts the task in the
// cgroup its allocation's task got, with the memory limit and CPU shares of
// LinuxResources). The same rules as the Rust supervisor's (cgroup.rs), so
// a task started by any layer has the same cgroup:
//
//   - cgroup v1 (the memory controller mounted at /sys/fs/cgroup/memory):
//     `<own cgroup>/yurt-<state dir name>-<supervisor pid>` in each of the
//     memory, cpu, cpuacct, pids and freezer controllers, under the
//     supervisor's own cgroup of that controller (so a task stays inside the
//     limits of a container the plugin runs in). memory.limit_in_bytes and
//     cpu.shares come from the spec's limits.
//   - cgroup v2 (a cgroup2 mount: /sys/fs/cgroup on a unified host, the
//     first cgroup2 mount in /proc/self/mountinfo otherwise):
//     `<mount>/yurt/yurt-<state dir name>-<supervisor pid>`, with the memory,
//     cpu and pids controllers enabled where the hierarchy has them;
//     memory.max and cpu.weight (converted from shares) come from the limits.
//
// The task's main process is born in the cgroup (v2: clone3 with
// CLONE_INTO_CGROUP; v1: forked from a supervisor thread that sits in the
// cgroup for the fork only), so everything it starts is in it from its
// first instruction. Ending the task kills every process in the cgroup
// (v2: cgroup.kill; v1: freeze, SIGKILL each, thaw), which also catches
// processes that left the supervisor's subtree. An OOM kill is read from
// memory.oom_control (v1) or memory.events (v2). Memory and CPU stats are
// read from the cgroup. Started.cgroup records the memory directory (v1) or
// the cgroup (v2).
//
// YURT_SUPERVISE_CGROUP in the plugin's environment picks the path: "v1",
// "v2", "none", or unset for the first that works (v1, then v2).

const cgroupEnv = "YURT_SUPERVISE_CGROUP"

// Isolation values, as the Rust and Python layers spell them.
const (
	IsolationCgroupV1 = "cgroup-v1"
	IsolationCgroupV2 = "cgroup-v2"
	IsolationNone     = "process-group+subreaper"
)

const v1Root = "/sys/fs/cgroup"

var v1Controllers = []string{"memory", "cpu", "cpuacct", "pids", "freezer"}

// Isolation reports which containment tasks started by this process get on
// this host: IsolationCgroupV1, IsolationCgroupV2 (root and a writable
// hierarchy) or IsolationNone. The process-group and subreaper path applies
// in every case.
func Isolation() string {
	v, _ := cgroupVersion()
	switch v {
	case 1:
		return IsolationCgroupV1
	case 2:
		return IsolationCgroupV2
	}
	return IsolationNone
}

// cgroupVersion is the cgroup path in force: 1, 2 (with its mount) or 0.
func cgroupVersion() (int, string) {
	if os.Geteuid() != 0 {
		return 0, ""
	}
	want := os.Getenv(cgroupEnv)
	if want == "none" {
		return 0, ""
	}
	if want != "v2" && exists(filepath.Join(v1Root, "memory", "cgroup.procs")) && unix.Access(filepath.Join(v1Root, "memory"), unix.W_OK) == nil {
		return 1, ""
	}
	if want == "v1" {
		return 0, ""
	}
	if m := cgroup2Mount(); m != "" && unix.Access(m, unix.W_OK) == nil {
		return 2, m
	}
	return 0, ""
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// cgroup2Mount is where the cgroup v2 hierarchy is mounted: /sys/fs/cgroup
// on a unified host, else the first cgroup2 mount (a hybrid host's
// /sys/fs/cgroup/unified).
func cgroup2Mount() string {
	if exists(filepath.Join(v1Root, "cgroup.controllers")) {
		return v1Root
	}
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		pre, post, ok := strings.Cut(line, " - ")
		if !ok || !strings.HasPrefix(post, "cgroup2 ") {
			continue
		}
		if f := strings.Fields(pre); len(f) >= 5 {
			return f[4]
		}
	}
	return ""
}

// ownV1Path is this process's cgroup path in the v1 hierarchy of controller.
func ownV1Path(controller string) (string, bool) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", false
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			continue
		}
		for _, c := range strings.Split(f[1], ",") {
			if c == controller {
				return f[2], true
			}
		}
	}
	return "", false
}

// cgroup is a task's cgroup: one directory per v1 controller (memory
// first), or the one v2 directory.
type cgroup struct {
	version int
	dirs    []string
}

// cgroupName is the base name of a task's cgroup.
func cgroupName(stateDir string, supervisorPID int) string {
	var b strings.Builder
	for _, r := range filepath.Base(stateDir) {
		if r < 128 && (r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
		if b.Len() >= 100 {
			break
		}
	}
	return "yurt-" + b.String() + "-" + strconv.Itoa(supervisorPID)
}

// createCgroup makes the task's cgroup with lim; nil without an error when
// no cgroup path is in force.
func createCgroup(name string, lim Limits) (*cgroup, error) {
	v, mount := cgroupVersion()
	var cg *cgroup
	var err error
	switch v {
	case 1:
		cg, err = createV1(name)
	case 2:
		cg, err = createV2(mount, name)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := cg.limit(lim); err != nil {
		// The cgroup still contains and accounts the task; say what is
		// not enforced rather than run it with no cgroup at all.
		fmt.Fprintf(os.Stderr, "yurt-supervise: limit not enforced: %v\n", err)
	}
	return cg, nil
}

func createV1(name string) (*cgroup, error) {
	cg := &cgroup{version: 1}
	for _, ctl := range v1Controllers {
		own, ok := ownV1Path(ctl)
		mount := filepath.Join(v1Root, ctl)
		if !ok || !exists(filepath.Join(mount, "cgroup.procs")) {
			continue
		}
		dir := filepath.Join(mount, own, name)
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			cg.remove()
			return nil, fmt.Errorf("creating cgroup %s: %w", dir, err)
		}
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			dir = real
		}
		if !contains(cg.dirs, dir) {
			cg.dirs = append(cg.dirs, dir)
		}
	}
	return cg, nil
}

func createV2(mount, name string) (*cgroup, error) {
	parent := filepath.Join(mount, "yurt")
	if err := os.Mkdir(parent, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("creating cgroup %s: %w", parent, err)
	}
	// Enable what the limits and stats need, where the hierarchy has it
	// (a hybrid host keeps memory and cpu in v1). The root cgroup and a
	// cgroup without processes may enable controllers for their children.
	avail, _ := os.ReadFile(filepath.Join(mount, "cgroup.controllers"))
	for _, ctl := range []string{"memory", "cpu", "pids"} {
		if contains(strings.Fields(string(avail)), ctl) {
			for _, d := range []string{mount, parent} {
				_ = os.WriteFile(filepath.Join(d, "cgroup.subtree_control"), []byte("+"+ctl), 0)
			}
		}
	}
	dir := filepath.Join(parent, name)
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("creating cgroup %s: %w", dir, err)
	}
	return &cgroup{version: 2, dirs: []string{dir}}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// limit writes the memory limit and CPU weight. A limit the hierarchy
// cannot enforce (its controller is absent) is an error naming the field.
func (c *cgroup) limit(lim Limits) error {
	set := func(field string, files []string, value int64) error {
		for _, f := range files {
			if p := c.file(f); p != "" {
				if err := os.WriteFile(p, []byte(strconv.FormatInt(value, 10)), 0); err != nil {
					return fmt.Errorf("limits.%s: writing %d to %s: %w", field, value, p, err)
				}
				return nil
			}
		}
		return fmt.Errorf("limits.%s: the task's cgroup %s has no %s (controller not enabled in this hierarchy)", field, c.path(), strings.Join(files, " or "))
	}
	if lim.MemoryBytes > 0 {
		if err := set("memory_limit_bytes", []string{"memory.limit_in_bytes", "memory.max"}, lim.MemoryBytes); err != nil {
			return err
		}
	}
	if lim.CPUShares > 0 {
		if c.version == 1 {
			return set("cpu_shares", []string{"cpu.shares"}, max(lim.CPUShares, 2))
		}
		return set("cpu_shares", []string{"cpu.weight"}, sharesToWeight(lim.CPUShares))
	}
	return nil
}

// sharesToWeight maps cgroup v1 cpu.shares [2, 262144] linearly onto v2's
// cpu.weight [1, 10000], as container runtimes on v2 do.
func sharesToWeight(shares int64) int64 {
	shares = min(max(shares, 2), 262144)
	return 1 + (shares-2)*9999/262142
}

// file is the path of a control file in whichever of the cgroup's
// directories has it; "" when none does.
func (c *cgroup) file(name string) string {
	for _, d := range c.dirs {
		if p := filepath.Join(d, name); exists(p) {
			return p
		}
	}
	return ""
}

// path is what Started.cgroup records: the memory directory (v1) or the
// cgroup (v2).
func (c *cgroup) path() string {
	if c == nil || len(c.dirs) == 0 {
		return ""
	}
	return c.dirs[0]
}

// cgroupFromRecorded finds a task's cgroup again from Started.cgroup, in the
// plugin (whose v1 cgroups are the supervisor's: it started it). Only a
// yurt-made cgroup is accepted.
func cgroupFromRecorded(recorded string) *cgroup {
	base := filepath.Base(recorded)
	if recorded == "" || !filepath.IsAbs(recorded) || !strings.HasPrefix(base, "yurt-") || !exists(recorded) {
		return nil
	}
	mem := filepath.Join(v1Root, "memory")
	if !strings.HasPrefix(recorded, mem+"/") {
		return &cgroup{version: 2, dirs: []string{recorded}}
	}
	cg := &cgroup{version: 1, dirs: []string{recorded}}
	for _, ctl := range v1Controllers[1:] {
		if own, ok := ownV1Path(ctl); ok {
			if d := filepath.Join(v1Root, ctl, own, base); exists(d) && !contains(cg.dirs, d) {
				cg.dirs = append(cg.dirs, d)
			}
		}
	}
	return cg
}

// pids lists every process in the cgroup.
func (c *cgroup) pids() []int {
	var out []int
	for _, d := range c.dirs {
		b, err := os.ReadFile(filepath.Join(d, "cgroup.procs"))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			// The supervisor itself is listed while its forking thread
			// sits in a v1 cgroup (forkExecIn): never its own target.
			if pid, err := strconv.Atoi(f); err == nil && pid != os.Getpid() && !containsInt(out, pid) {
				out = append(out, pid)
			}
		}
	}
	return out
}

func containsInt(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

// kill SIGKILLs every process in the cgroup at once, so that none can fork
// a new one meanwhile: v2 writes cgroup.kill; v1 freezes the cgroup, kills
// each process, and thaws it (a frozen process dies when thawed). It does
// not wait; killAndWait does.
func (c *cgroup) kill() {
	if c.version == 2 {
		if p := c.file("cgroup.kill"); p != "" && os.WriteFile(p, []byte("1"), 0) == nil {
			return
		}
	}
	state := c.file("freezer.state")
	if c.version == 2 {
		state = c.file("cgroup.freeze")
	}
	frozen, thawed := "FROZEN", "THAWED"
	if c.version == 2 {
		frozen, thawed = "1", "0"
	}
	if state != "" && os.WriteFile(state, []byte(frozen), 0) == nil {
		defer os.WriteFile(state, []byte(thawed), 0) //nolint:errcheck // best effort: the kill is what matters
		for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if b, _ := os.ReadFile(state); strings.TrimSpace(string(b)) != "FREEZING" {
				break
			}
		}
	}
	for _, pid := range c.pids() {
		_ = unix.Kill(pid, unix.SIGKILL)
	}
}

// killAndWait kills until the cgroup is empty (bounded by limit) and
// reports whether it is.
func (c *cgroup) killAndWait(limit time.Duration) bool {
	for deadline := time.Now().Add(limit); ; time.Sleep(2 * time.Millisecond) {
		if len(c.pids()) == 0 {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		c.kill()
	}
}

// oomKilled reports whether the kernel's OOM killer killed a process of
// the cgroup.
func (c *cgroup) oomKilled() bool {
	for _, f := range []string{"memory.oom_control", "memory.events"} {
		if n, ok := readKeyed(c.file(f), "oom_kill"); ok && n > 0 {
			return true
		}
	}
	return false
}

// readKeyed reads the value of key from a "key value" per line file.
func readKeyed(path, key string) (uint64, bool) {
	if path == "" {
		return 0, false
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), " "); ok && k == key {
			n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// readNumber reads a control file holding one number.
func readNumber(path string) (uint64, bool) {
	if path == "" {
		return 0, false
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	return n, err == nil
}

// remove removes the cgroup's directories, retrying briefly while the last
// processes leave.
func (c *cgroup) remove() {
	deadline := time.Now().Add(2 * time.Second)
	for _, d := range c.dirs {
		for {
			err := unix.Rmdir(d)
			if err == nil || errors.Is(err, unix.ENOENT) || time.Now().After(deadline) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}
