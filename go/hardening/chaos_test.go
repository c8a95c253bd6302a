package hardening

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/api"
	"github.com/yurt-sdk/yurt/go/state"
)

// TestChaos is the fault-injection test: rounds of one operation on the
// agent (start tasks, stop one, exec in one) with a SIGKILL of the agent,
// of a driver plugin, or of both, at a random moment during it. After
// every round each task is accounted for and none was started twice.
//
// Every task appends its shell's PID to its own marker file when it
// starts, so a second start shows as a second line. YURT_CHAOS_ROUNDS
// sets the number of rounds (default 10; scripts/chaos.sh runs 100),
// YURT_CHAOS_SEED replays a run, YURT_CHAOS_REPORT names a JSON file for
// the figures.
func TestChaos(t *testing.T) {
	t.Parallel()
	rounds := envInt(t, "YURT_CHAOS_ROUNDS", 10)
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("YURT_CHAOS_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		require.NoError(t, err, "YURT_CHAOS_SEED: expected an unsigned integer")
		seed = v
	}
	t.Logf("chaos: %d rounds, YURT_CHAOS_SEED=%d", rounds, seed)
	w := newWorld(t, seed)
	for i := range rounds {
		w.round(i)
		if t.Failed() {
			t.Logf("chaos: replay with YURT_CHAOS_SEED=%d; agent log tail:\n%s", seed, tail(w.agent.log.String(), 6000))
			break
		}
	}
	w.finish()
	require.NoError(t, w.agent.shutdown(), "graceful agent shutdown")
	w.checkNoSurvivors()
	w.checkNoStrays()
	w.report(rounds)
}

func envInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	require.NoError(t, err, "%s: expected a positive integer", name)
	require.Positive(t, v, "%s: expected a positive integer", name)
	return v
}

type chaosTask struct {
	name, driver string
	id           string
	exitCode     int // -1: long-running
	stopped      bool
	submitted    bool // the run request was answered
	counted      bool // its failure is in the figures
}

type chaosFigures struct {
	Seed          uint64         `json:"seed"`
	Rounds        int            `json:"rounds"`
	Tasks         int            `json:"tasks"`
	TasksByDriver map[string]int `json:"tasks_by_driver"`
	AgentKills    int            `json:"agent_kills"`
	PluginKills   int            `json:"plugin_kills"`
	Ops           map[string]int `json:"ops"`
	StoreChecks   int            `json:"store_checks"`
	Lost          int            `json:"lost"`
	Duplicates    int            `json:"duplicates"`
	Orphans       int            `json:"orphans"`
	// OrphanProcesses are supervisors, log collectors and plugins alive
	// after the agent's shutdown; StaleStateDirs are supervision state
	// directories left on disk (strays_test.go).
	OrphanProcesses int `json:"orphan_processes"`
	StaleStateDirs  int `json:"stale_state_dirs"`
	WrongExitCodes  int `json:"wrong_exit_codes"`
	FailedStarts    int `json:"failed_starts"`
	// InterruptedStarts began but were killed by the agent because the
	// kill came before the driver's handle was stored.
	InterruptedStarts int     `json:"interrupted_starts"`
	Seconds           float64 `json:"seconds"`
}

type world struct {
	t       *testing.T
	base    string // every file of the run is under it
	rng     *rand.Rand
	agent   *agentProc
	marks   string
	drivers []string
	tasks   map[string]*chaosTask
	fig     chaosFigures
	began   time.Time
}

func newWorld(t *testing.T, seed uint64) *world {
	base := shortTemp(t)
	pdir := filepath.Join(base, "plugins")
	copyExec(t, filepath.Join(bins.examples, "go-exec"), filepath.Join(pdir, "go-exec"))
	// Other languages' drivers are linked, not copied: their launchers
	// find their interpreter relative to their real location.
	for _, p := range chaosDrivers(t) {
		require.NoError(t, os.Symlink(p, filepath.Join(pdir, filepath.Base(p))))
	}
	w := &world{
		t: t, base: base, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), marks: filepath.Join(base, "marks"),
		tasks: map[string]*chaosTask{}, began: time.Now(),
		fig: chaosFigures{Seed: seed, TasksByDriver: map[string]int{}, Ops: map[string]int{}},
	}
	require.NoError(t, os.MkdirAll(w.marks, 0o700))
	w.agent = newAgent(t, pdir)
	require.NoError(t, w.agent.start(60*time.Second))
	t.Cleanup(func() {
		if err := w.agent.shutdown(); err != nil {
			t.Errorf("agent shutdown: %v", err)
		}
	})
	ps, err := w.agent.client().Plugins(context.Background())
	require.NoError(t, err)
	for _, p := range ps {
		require.Equal(t, "running", p.State, "plugin %s did not load: %s", p.File, p.Error)
		if p.Type == "driver" {
			w.drivers = append(w.drivers, p.Name)
		}
	}
	sort.Strings(w.drivers)
	require.NotEmpty(t, w.drivers)
	t.Logf("chaos: drivers %v", w.drivers)
	return w
}

func (w *world) mark(name string) string { return filepath.Join(w.marks, name) }

// taskFile is one task per driver kind, each recording its start.
func (w *world) taskFile(ts []*chaosTask) string {
	var b strings.Builder
	for _, ct := range ts {
		script := fmt.Sprintf("echo $$ >> %s; exec sleep 3600", w.mark(ct.name))
		if ct.exitCode >= 0 {
			script = fmt.Sprintf("echo $$ >> %s; sleep 0.%d; exit %d", w.mark(ct.name), 2+w.rng.IntN(8), ct.exitCode)
		}
		fmt.Fprintf(&b, "task %q {\n  driver = %q\n  config {\n    command = \"/bin/sh\"\n    args = [\"-c\", %q]\n  }\n  kill_timeout = \"2s\"\n}\n",
			ct.name, ct.driver, script)
	}
	return b.String()
}

func (w *world) running() []*chaosTask {
	list, err := w.agent.client().Tasks(context.Background())
	if err != nil {
		return nil
	}
	var out []*chaosTask
	for _, at := range list {
		if ct := w.tasks[at.Name]; ct != nil && at.State == api.StateRunning && !ct.stopped {
			out = append(out, ct)
		}
	}
	return out
}

func (w *world) round(i int) {
	t := w.t
	c := w.agent.client()
	running := w.running()
	op := []string{"start", "start", "stop", "exec"}[w.rng.IntN(4)]
	if len(running) == 0 {
		op = "start"
	} else if len(running) > 8 {
		op = "stop"
	}
	w.fig.Ops[op]++

	// The victim and its PID are chosen before the operation.
	victim := []string{"agent", "plugin", "both"}[w.rng.IntN(3)]
	var pluginPids []int
	if victim != "agent" {
		ps, err := c.Plugins(context.Background())
		require.NoError(t, err)
		drv := w.drivers[w.rng.IntN(len(w.drivers))]
		for _, p := range ps {
			if p.Name == drv && p.Pid > 0 {
				pluginPids = append(pluginPids, p.Pid)
			}
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		switch op {
		case "start":
			var batch []*chaosTask
			for _, d := range w.drivers {
				for _, code := range []int{-1, 1 + w.rng.IntN(100)} {
					ct := &chaosTask{name: fmt.Sprintf("r%d-%s-%d", i, sanitize(d), len(batch)), driver: d, exitCode: code}
					w.tasks[ct.name] = ct
					w.fig.Tasks++
					w.fig.TasksByDriver[d]++
					batch = append(batch, ct)
				}
			}
			resp, err := c.Run(ctx, api.RunRequest{File: fmt.Sprintf("round-%d.hcl", i), Source: w.taskFile(batch)})
			for _, at := range resp.Tasks {
				if ct := w.tasks[at.Name]; ct != nil {
					ct.id, ct.submitted = at.ID, true
				}
			}
			if err != nil {
				t.Logf("round %d: run: %v", i, err)
			}
		case "stop":
			ct := running[w.rng.IntN(len(running))]
			ct.stopped = true
			if _, err := c.Stop(ctx, ct.name); err != nil {
				t.Logf("round %d: stop %s: %v", i, ct.name, err)
			}
		case "exec":
			ct := running[w.rng.IntN(len(running))]
			if err := execOnce(ctx, c, ct.name); err != nil {
				t.Logf("round %d: exec in %s: %v", i, ct.name, err)
			}
		}
	}()
	time.Sleep(time.Duration(w.rng.IntN(2500)) * time.Millisecond)
	if victim != "plugin" {
		w.agent.kill9()
		w.fig.AgentKills++
	}
	for _, pid := range pluginPids {
		if syscall.Kill(pid, syscall.SIGKILL) == nil {
			w.fig.PluginKills++
		}
	}
	wg.Wait()

	if !w.agent.alive() {
		// The store must open cleanly after a SIGKILL at any point.
		s, err := state.Open(w.agent.dataDir)
		require.NoError(t, err, "round %d: state store after kill -9", i)
		require.NoError(t, s.Check(), "round %d: state store consistency", i)
		require.NoError(t, s.Close())
		w.fig.StoreChecks++
		require.NoError(t, w.agent.start(60*time.Second), "round %d: agent restart", i)
	}
	w.settle(i, pluginPids)
	w.check(i)
	w.fig.Rounds++
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(s))
}

func execOnce(ctx context.Context, c *api.Client, ref string) error {
	s, err := c.Exec(ctx, ref, api.ExecRequest{Command: []string{"/bin/sh", "-c", "echo exec-ok"}})
	if err != nil {
		return err
	}
	defer s.Close()
	for {
		out, err := s.Recv()
		if err != nil {
			return err
		}
		if out.Error != "" {
			return errors.New(out.Error)
		}
		if out.Exited {
			if out.ExitCode != 0 {
				return fmt.Errorf("exec exit code %d", out.ExitCode)
			}
			return nil
		}
	}
}

// settle waits until killed plugins are back and no task is pending or
// stopping, and until stopped tasks have ended.
func (w *world) settle(i int, killed []int) {
	c := w.agent.client()
	ok := waitFor(60*time.Second, func() bool {
		ps, err := c.Plugins(context.Background())
		if err != nil {
			return false
		}
		for _, p := range ps {
			if p.State != "running" {
				return false
			}
			for _, k := range killed {
				if p.Pid == k {
					return false
				}
			}
		}
		list, err := c.Tasks(context.Background())
		if err != nil {
			return false
		}
		for _, at := range list {
			ct := w.tasks[at.Name]
			if at.State == api.StatePending || at.State == api.StateStopping {
				return false
			}
			if ct != nil && ct.stopped && !at.Terminal() {
				return false
			}
		}
		return true
	})
	if !ok {
		list, _ := c.Tasks(context.Background())
		ps, _ := c.Plugins(context.Background())
		w.t.Fatalf("round %d: agent did not settle in 60s: tasks %+v plugins %+v", i, list, ps)
	}
}

func readMarks(path string) []int {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var pids []int
	for _, l := range strings.Fields(string(b)) {
		if p, err := strconv.Atoi(l); err == nil {
			pids = append(pids, p)
		}
	}
	return pids
}

// check verifies the round's invariants against the agent and the marker
// files:
//   - a task the agent answered for is listed, and never "lost";
//   - no task started twice (marker file has at most one PID);
//   - a running task's process is alive; a terminal task's is not;
//   - a task that exited on its own reports its real exit code;
//   - a task the agent does not list never started (else it is an orphan).
func (w *world) check(i int) {
	t := w.t
	list, err := w.agent.client().Tasks(context.Background())
	require.NoError(t, err)
	byName := map[string]api.Task{}
	for _, at := range list {
		byName[at.Name] = at
	}
	names := make([]string, 0, len(w.tasks))
	for n := range w.tasks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ct := w.tasks[n]
		at, listed := byName[n]
		pids := readMarks(w.mark(n))
		if len(pids) > 1 {
			w.fig.Duplicates++
			t.Errorf("round %d: task %s started %d times (pids %v)", i, n, len(pids), pids)
		}
		if !listed {
			if ct.submitted {
				w.fig.Lost++
				t.Errorf("round %d: task %s (%s) was accepted but is no longer listed", i, n, ct.id)
			}
			if len(pids) > 0 && taskAlive(pids[0], n) {
				w.fig.Orphans++
				t.Errorf("round %d: task %s is running (pid %d) but the agent does not list it", i, n, pids[0])
			}
			continue
		}
		switch at.State {
		case api.StateLost:
			w.fig.Lost++
			t.Errorf("round %d: task %s is lost: %s%s", i, n, at.Error, driverLogs(at.TaskDir))
		case api.StateRunning:
			if len(pids) == 0 || !taskAlive(pids[0], n) {
				// The process can end just before the agent hears of it:
				// the agent must report the exit within a few seconds.
				var again api.Task
				var err error
				waitFor(10*time.Second, func() bool {
					again, err = w.agent.client().Task(context.Background(), at.ID)
					return err == nil && again.State != api.StateRunning
				})
				if err == nil && again.State == api.StateRunning {
					w.fig.Lost++
					t.Errorf("round %d: task %s is reported running but its process (marks %v) is gone", i, n, pids)
				}
			}
		case api.StateExited, api.StateFailed:
			// The agent kills what a cut-short start left behind within
			// a few seconds (go/agent/orphans.go).
			if len(pids) > 0 && !waitFor(8*time.Second, func() bool { return !taskAlive(pids[0], n) }) {
				w.fig.Orphans++
				t.Errorf("round %d: task %s is reported %s (%s) but its process %d still runs", i, n, at.State, at.Error, pids[0])
			}
			if at.State == api.StateFailed && !ct.counted {
				ct.counted = true
				// Accounted for: it failed with a reason, e.g. its start
				// was interrupted by a kill and the agent stopped it.
				if at.Error == "" {
					t.Errorf("round %d: task %s failed without saying why", i, n)
				}
				if len(pids) == 0 {
					w.fig.FailedStarts++
				} else {
					w.fig.InterruptedStarts++
				}
			}
			if at.State == api.StateExited && ct.exitCode >= 0 && !ct.stopped {
				if at.ExitCode == nil || *at.ExitCode != ct.exitCode {
					w.fig.WrongExitCodes++
					got := "none"
					if at.ExitCode != nil {
						got = strconv.Itoa(*at.ExitCode)
					}
					t.Errorf("round %d: task %s exited with %s, want %d (state %s, error %q)", i, n, got, ct.exitCode, at.State, at.Error)
				}
			}
		}
	}
}

// finish stops what is left and checks that every stopped task ended.
func (w *world) finish() {
	c := w.agent.client()
	for _, ct := range w.running() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := c.Stop(ctx, ct.name)
		cancel()
		if err != nil {
			w.t.Errorf("final stop of %s: %v", ct.name, err)
		}
	}
}

// checkNoSurvivors runs after the agent's graceful dev-mode shutdown: no
// task process may outlive it.
func (w *world) checkNoSurvivors() {
	for n := range w.tasks {
		for _, pid := range readMarks(w.mark(n)) {
			if waitFor(5*time.Second, func() bool { return !taskAlive(pid, n) }) {
				continue
			}
			w.fig.Orphans++
			w.t.Errorf("task %s (pid %d) survived the agent's shutdown", n, pid)
			if taskAlive(pid, n) {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	}
}

func (w *world) report(rounds int) {
	w.fig.Seconds = time.Since(w.began).Seconds()
	b, _ := json.MarshalIndent(w.fig, "", "  ")
	w.t.Logf("chaos figures (of %d rounds asked):\n%s", rounds, b)
	if p := os.Getenv("YURT_CHAOS_REPORT"); p != "" {
		if err := os.WriteFile(p, append(b, '\n'), 0o600); err != nil {
			w.t.Errorf("YURT_CHAOS_REPORT: %v", err)
		}
	}
}

// driverLogs returns what the drivers left in a task dir's hidden state
// dirs (go-exec's supervisor.log and records), for failure reports.
func driverLogs(taskDir string) string {
	var b strings.Builder
	files, _ := filepath.Glob(filepath.Join(taskDir, "*", ".*", "*"))
	for _, f := range files {
		if data, err := os.ReadFile(f); err == nil && len(data) < 8192 {
			fmt.Fprintf(&b, "\n  %s: %s", f, strings.TrimSpace(string(data)))
		}
	}
	return b.String()
}

// chaosDrivers are the non-Go process drivers to include: the Python
// example (python-exec) when the repository's .venv exists, and any given in
// YURT_HARDENING_DRIVERS (e.g. the Rust example driver once it exists).
// Each must take go-exec's task config (command, args).
func chaosDrivers(t *testing.T) []string {
	out := append([]string(nil), bins.extra...)
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(root, ".venv", "bin", "python")); err == nil {
		out = append(out, filepath.Join(root, "examples", "python", "python-exec", "python-exec"))
	} else {
		t.Log("chaos: no .venv, so no Python driver (make -C sdk-python venv)")
	}
	return out
}

// taskAlive reports whether pid is alive and still the process of task
// name: PIDs are reused over a long run, so the process must also carry
// the task's NOMAD_TASK_NAME in its environment.
func taskAlive(pid int, name string) bool {
	if !pidAlive(pid) {
		return false
	}
	env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	if err != nil {
		return false
	}
	return strings.Contains("\x00"+string(env), "\x00NOMAD_TASK_NAME="+name+"\x00")
}
