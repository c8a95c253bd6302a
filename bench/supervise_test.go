package bench

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseSuperviseJSON(t *testing.T) {
	goOut := `{"pss_mib_max":3.1,"pss_mib_mean":3.0,"pss_mib_p50":3.05,"start_ms_max":20,"start_ms_p50":14,"start_ms_p90":16,"tasks":5}`
	v, err := parseSuperviseJSON([]byte(goOut + "\n"))
	if err != nil || v["pss_mib_mean"] != 3.0 || v["start_ms_p90"] != 16 || len(v) != len(superviseKeys) {
		t.Fatalf("Go output: %v, %v", v, err)
	}
	pyOut := `{"program": "/x/yurt-supervise", "tasks": 5, "start_ms_p50": 18.5, "start_ms_p90": 19.3, "start_ms_max": 28.4,
		"supervisor_pss_mib_mean": 0.35, "supervisor_pss_mib_median": 0.36, "supervisor_pss_mib_max": 0.4, "supervisor_rss_mib_median": 3}`
	v, err = parseSuperviseJSON([]byte(pyOut))
	if err != nil || v["pss_mib_p50"] != 0.36 || v["pss_mib_mean"] != 0.35 || v["pss_mib_max"] != 0.4 {
		t.Fatalf("Python output: %v, %v", v, err)
	}
	for _, c := range []struct{ in, want string }{
		{`not json`, "expected one JSON object"},
		{`{"error": "command: no such file"}`, "no such file"},
		{`{"start_ms_p50":1,"start_ms_p90":1,"start_ms_max":1,"pss_mib_mean":1,"pss_mib_p50":1}`, "pss_mib_max"},
		{`{"start_ms_p50":"1","start_ms_p90":1,"start_ms_max":1,"pss_mib_mean":1,"pss_mib_p50":1,"pss_mib_max":1}`, "start_ms_p50"},
	} {
		if _, err := parseSuperviseJSON([]byte(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parseSuperviseJSON(%s) = %v, want an error containing %q", c.in, err, c.want)
		}
	}
}

// A measurement whose command leaves a process behind in its directory (a
// supervisor that survived destroy) or a state dir is reported as leftover,
// and one that cleans up is not.
func TestRunSuperviseLeftovers(t *testing.T) {
	out := `{"start_ms_p50":1,"start_ms_p90":2,"start_ms_max":3,"pss_mib_mean":0.5,"pss_mib_p50":0.5,"pss_mib_max":0.6}`
	clean := superviseCmd{id: "clean", language: "go", argv: []string{"sh", "-c", "mkdir {dir}/0 && rmdir {dir}/0 && echo '" + out + "'"}}
	r := runSupervise(context.Background(), clean, t.TempDir(), 3)
	if len(r.Errors) != 0 || len(r.Leftover) != 0 || r.Values["pss_mib_max"] != 0.6 || r.Tasks != 3 {
		t.Fatalf("clean run: %+v", r)
	}
	// `exec sleep` in the background keeps the run's working directory;
	// setsid puts it out of reach of the command's own end.
	leaky := superviseCmd{id: "leaky", language: "rust", argv: []string{"sh", "-c",
		"mkdir {dir}/7 && setsid sleep 30 </dev/null >/dev/null 2>&1 & echo '" + out + "'"}}
	scratch := t.TempDir()
	r = runSupervise(context.Background(), leaky, scratch, 1)
	t.Cleanup(func() { killSleeps(t, scratch) })
	var proc, file bool
	for _, l := range r.Leftover {
		proc = proc || strings.HasPrefix(l, "process ") && strings.Contains(l, "sleep 30")
		file = file || strings.HasPrefix(l, "file ") && strings.HasSuffix(l, "/7")
	}
	if !proc || !file {
		t.Fatalf("leftover = %q, want the sleep process and the state dir 7", r.Leftover)
	}
	checks := superviseTargets(&Results{Supervision: []SupervisionResult{r}})
	if c := findCheck(checks, "destroy leaves nothing"); c == nil || c.Status != "missed" || c.Measured != float64(len(r.Leftover)) {
		t.Fatalf("leftover target: %+v", c)
	}
}

func killSleeps(t *testing.T, scratch string) {
	ents, _ := filepath.Glob("/proc/[0-9]*")
	for _, e := range ents {
		cwd, _ := os.Readlink(e + "/cwd")
		if strings.HasPrefix(cwd, scratch) {
			_ = exec.Command("kill", filepath.Base(e)).Run()
		}
	}
	time.Sleep(100 * time.Millisecond)
}

func TestRunSuperviseFailure(t *testing.T) {
	c := superviseCmd{id: "broken", language: "python", argv: []string{"sh", "-c", `echo '{"error":"no supervisor"}'; exit 1`}}
	r := runSupervise(context.Background(), c, t.TempDir(), 2)
	if len(r.Values) != 0 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "no supervisor") {
		t.Fatalf("failed run: %+v", r)
	}
	res := &Results{Supervision: []SupervisionResult{r}}
	for _, ch := range superviseTargets(res) {
		if ch.Status != "not measured" {
			t.Errorf("target %q of a failed measurement is %s, want not measured", ch.Name, ch.Status)
		}
	}
}

func findCheck(cs []TargetCheck, name string) *TargetCheck {
	for i := range cs {
		if strings.HasPrefix(cs[i].Name, name) {
			return &cs[i]
		}
	}
	return nil
}

func supervised(id string, pss, p50 float64) SupervisionResult {
	return SupervisionResult{ID: id, Language: strings.Split(id, "/")[0], Tasks: 200, Leftover: []string{}, Errors: []string{},
		Values: map[string]float64{"pss_mib_mean": pss, "pss_mib_p50": pss, "pss_mib_max": pss, "start_ms_p50": p50, "start_ms_p90": p50, "start_ms_max": p50}}
}

func TestSuperviseTargets(t *testing.T) {
	r := sample()
	r.Supervision = []SupervisionResult{supervised("go", 3.1, 14), supervised("rust", 2.0, 20), supervised("python", 0.35, 19.9)}
	r.Targets = EvaluateTargets(r)
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"go supervise/supervisor PSS <= 2 MiB":    "missed",
		"go supervise/supervisor PSS <= Nomad":    "met",
		"go supervise/start p50":                  "met",
		"rust supervise/supervisor PSS <= 2 MiB":  "met",    // at most 2 MiB
		"rust supervise/start p50":                "missed", // under 20 ms, strictly
		"python supervise/start p50":              "met",
		"python supervise/destroy leaves nothing": "met",
	}
	for key, status := range want {
		subj, name, _ := strings.Cut(key, "/")
		var found *TargetCheck
		for i, c := range r.Targets {
			if c.Subject == subj && strings.HasPrefix(c.Name, name) {
				found = &r.Targets[i]
			}
		}
		if found == nil || found.Status != status {
			t.Errorf("%s: %+v, want %s", key, found, status)
		}
	}
	md := Markdown(r)
	for _, s := range []string{"### Per-task supervision cost", "| go | ", "3.10 / 3.10 / 3.10", "met (18.2%)",
		"| 3.10 MiB | 2.00 MiB | missed (by 1.10 MiB, +55%) |", "| 20.0 ms | 20.0 ms | missed (by 0.00 ms, +0%) |"} {
		if !strings.Contains(md, s) {
			t.Errorf("markdown lacks %q:\n%s", s, md)
		}
	}
}

func TestValidateRejectsSupervision(t *testing.T) {
	cases := []struct {
		name, want string
		edit       func(*SupervisionResult)
	}{
		{"unknown value", "unknown value", func(s *SupervisionResult) { s.Values["bogus"] = 1 }},
		{"negative", "finite non-negative", func(s *SupervisionResult) { s.Values["pss_mib_mean"] = -1 }},
		{"language", "language", func(s *SupervisionResult) { s.Language = "java" }},
		{"nil leftover", "must be present", func(s *SupervisionResult) { s.Leftover = nil }},
		{"empty", "no values and no errors", func(s *SupervisionResult) { s.Values = map[string]float64{} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := sample()
			r.Supervision = []SupervisionResult{supervised("go", 1, 1)}
			c.edit(&r.Supervision[0])
			if err := r.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, c.want)
			}
		})
	}
	r := sample()
	r.Supervision = []SupervisionResult{supervised("go", 1, 1), supervised("go", 1, 1)}
	if err := r.Validate(); err == nil || !strings.Contains(err.Error(), "repeated") {
		t.Fatalf("duplicate id: %v", err)
	}
}

// Every measured SDK has its command, and each command names a language the
// schema accepts.
func TestSuperviseCmds(t *testing.T) {
	langs := map[string]bool{}
	for _, c := range superviseCmds("/r", "/r/target/release") {
		langs[c.language] = true
		if !strings.Contains(strings.Join(c.argv, " "), "{n}") {
			t.Errorf("%s: the task count is not passed: %v", c.id, c.argv)
		}
	}
	for _, l := range []string{"go", "python", "rust"} {
		if !langs[l] {
			t.Errorf("no supervision measurement for %s", l)
		}
	}
}
