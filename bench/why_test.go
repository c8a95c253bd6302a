package bench

import (
	"strings"
	"testing"
)

func TestWhyComesFromTheRun(t *testing.T) {
	r := &Results{
		Machine: Machine{CPUs: 2, LoadAvg1: 5},
		Plugins: []PluginResult{
			{ID: "go-sdk/go-exec", Values: map[string]float64{"cold_p50_ms_plain": 10, "info_p50_us_plain": 100}},
			{ID: "python-floor", Values: map[string]float64{"cold_p50_ms_plain": 150, "info_p50_us_plain": 400}},
			{ID: "python-sdk/python-exec", Values: map[string]float64{"cold_p50_ms_plain": 165, "info_p50_us_plain": 420}},
		},
		PythonCold: &PyColdResult{LimitFactor: 12, Options: []PyColdOption{{Name: "python", XGo: 2}, {Name: "import grpc", XGo: 13}}},
		Agent: AgentResult{Scale: []ScalePoint{
			{Tasks: 200, Values: map[string]float64{"tasks_per_s": 120}},
			{Tasks: 2000, Values: map[string]float64{"tasks_per_s": 40}},
		}},
	}
	cold := why(r, TargetCheck{Name: "Python cold start <= 12x Go", Subject: "python-sdk/python-exec", Against: "go-sdk/go-exec", Metric: "cold_p50_ms_plain"})
	for _, want := range []string{"itself 15.00x Go", "adds 1.10x", "`import grpc`", "load average of 5.00 on 2 cores"} {
		if !strings.Contains(cold, want) {
			t.Errorf("cold-start why lacks %q: %s", want, cold)
		}
	}
	unary := why(r, TargetCheck{Name: "Python unary p50 <= 3x Go", Subject: "python-sdk/python-exec", Against: "go-sdk/go-exec", Metric: "info_p50_us_mtls"})
	for _, want := range []string{"itself 4.00x Go on info_p50_us_plain", "relays TLS"} {
		if !strings.Contains(unary, want) {
			t.Errorf("unary why lacks %q: %s", want, unary)
		}
	}
	rate := why(r, TargetCheck{Name: "start", Metric: "tasks_per_s"})
	if !strings.Contains(rate, "120 tasks/s up to 200 tasks, 40.0 tasks/s up to 2000 tasks") {
		t.Errorf("rate why: %s", rate)
	}
	r.Targets = []TargetCheck{{Name: "a", Status: "met"}, {Name: "b", Status: "missed", Note: "by 1x", Why: "because"}}
	md := WhyMarkdown(r)
	if strings.Contains(md, "**a**") || !strings.Contains(md, "- **b** (") || !strings.Contains(md, "because.") {
		t.Errorf("WhyMarkdown:\n%s", md)
	}
}

// Every missed target of the last full run gets a why.
func TestEveryMissedTargetOfTheLatestRunHasAWhy(t *testing.T) {
	r, err := ReadResults("latest/results.json")
	if err != nil {
		t.Fatal(err)
	}
	checks := EvaluateTargets(r)
	missed := 0
	for _, c := range checks {
		if c.Status == "missed" {
			missed++
			if c.Why == "" {
				t.Errorf("%s (%s, %s): missed without a why", c.Name, c.Subject, c.Metric)
			}
		}
	}
	if missed == 0 {
		t.Skip("the latest run missed nothing")
	}
}

func TestWhyOfAFloorTargetSaysWhetherTheIntervalIncludesTheLimit(t *testing.T) {
	r := &Results{Machine: Machine{CPUs: 2}}
	c := TargetCheck{Name: "SDK <= 1.10x its floor", Subject: "go-sdk/go-exec", Against: "go-floor", Metric: "cold_p50_ms_plain",
		Limit: 1.1, Measured: 1.2, Pairs: 30, CILow: 1.05, CIHigh: 1.3, CILevel: 0.95}
	if got := why(r, c); !strings.Contains(got, "95% interval of the 30 paired ratios, [1.05–1.30]x, includes the limit") {
		t.Errorf("why: %s", got)
	}
	c.CILow = 1.15
	if got := why(r, c); !strings.Contains(got, "[1.15–1.30]x, lies above the limit") {
		t.Errorf("why: %s", got)
	}
}
