package bench

import (
	"strings"
	"testing"
)

func scalePoint(n int, rss, perTask, list float64) ScalePoint {
	return ScalePoint{Tasks: n, Values: map[string]float64{"tasks_running": float64(n), "tasks_per_s": 50, "agent_rss_mib": rss,
		"tree_pss_mib": perTask * float64(n), "per_task_pss_mib": perTask, "list_p50_ms": list, "list_p99_ms": 2 * list,
		"status_p50_ms": 0.5, "status_p99_ms": 1}}
}

// The agent's goals are evaluated from the step they name; a missed one
// says by how much; a run without that step says so.
func TestAgentGoals(t *testing.T) {
	r := sample()
	r.Agent = AgentResult{Status: "ok", Values: map[string]float64{}, Scale: []ScalePoint{
		scalePoint(200, 40, 2.0, 2), scalePoint(500, 60, 2.1, 5), scalePoint(1000, 110, 2.2, 10), scalePoint(2000, 330, 3.3, 20)}}
	for k, v := range r.Agent.Scale[3].Values {
		r.Agent.Values[k] = v
	}
	r.Agent.Values["tasks_per_s"] = 120
	r.Agent.Values["tasks_running"] = 2000
	r.Agent.Values["start_all_s"] = 16.7
	r.Agent.Values["reattach_s"], r.Agent.Values["reattach_lost"] = 4.2, 0
	r.Targets = EvaluateTargets(r)
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"agent RSS at 2,000 tasks <= 300 MiB":                "missed (by 30.0 MiB, +10%)",
		"per-task PSS at 2,000 tasks <= 3 MiB":               "missed (by 0.30 MiB, +10%)",
		"per-task PSS at 2,000 tasks <= Nomad raw_exec 32.5": "met (10.2% of Nomad's)",
		"start >= 100 tasks/s":                               "met",
		"reattach all 2,000 tasks after SIGKILL <= 10 s":     "met",
		"reattach loses no task":                             "met",
		"agent holds 500 tasks < 200 MiB RSS":                "met",
	}
	for name, st := range want {
		c := findCheck(r.Targets, name)
		if c == nil {
			t.Errorf("%s: not evaluated", name)
			continue
		}
		got := c.Status
		if c.Note != "" {
			got += " (" + c.Note + ")"
		}
		if got != st {
			t.Errorf("%s: %q, want %q", name, got, st)
		}
	}
	md := Markdown(r)
	for _, s := range []string{"#### The agent against task count", "![per-task cost", "| 2000 | 2000 |", "(scale.svg)"} {
		if !strings.Contains(md, s) {
			t.Errorf("markdown lacks %q", s)
		}
	}
	svg := ScaleSVG(r)
	for _, s := range []string{"<svg", "Nomad raw_exec 32.5 MiB", "goal 3 MiB", "list p99", ">2000</text>", "</svg>"} {
		if !strings.Contains(svg, s) {
			t.Errorf("scale.svg lacks %q", s)
		}
	}
	// A smoke run (no 2,000 step) marks the 2,000-task goals not measured.
	r.Agent.Scale = r.Agent.Scale[:1]
	if c := findCheck(EvaluateTargets(r), "agent RSS at 2,000"); c.Status != "not measured" || !strings.Contains(c.Note, "no step with 2000") {
		t.Errorf("without the step: %+v", c)
	}
}

// Every SDK's floor goal is evaluated on each metric it names.
func TestFloorGoals(t *testing.T) {
	n := 0
	for _, r := range targetRules() {
		if r.limit == 1.10 {
			n++
		}
	}
	want := 0
	for _, g := range FloorGoals {
		want += len(g.Metrics)
	}
	if n != want || want == 0 {
		t.Errorf("%d rules at 1.10x, want %d", n, want)
	}
}
