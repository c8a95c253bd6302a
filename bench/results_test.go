package bench

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func sample() *Results {
	r := &Results{
		SchemaVersion: SchemaVersion, GeneratedAt: "2026-01-01T00:00:00Z", Mode: "smoke",
		Machine: machine(), Config: Config{Launches: 3, UnaryCalls: 200}, Metrics: MetricDefs(),
		Plugins: []PluginResult{
			{ID: "go-sdk/go-exec", Language: "go", Flavor: "sdk", Kind: "driver", Baseline: "go-sdk/go-exec",
				Values: map[string]float64{"cold_p50_ms_plain": 10, "info_p50_us_plain": 100}, Ratios: map[string]float64{}, Errors: []string{}},
			{ID: "rust-floor", Language: "rust", Flavor: "floor", Kind: "driver", Baseline: "go-sdk/go-exec",
				Values: map[string]float64{"cold_p50_ms_plain": 5, "info_p50_us_plain": 150}, Ratios: map[string]float64{}, Errors: []string{}},
		},
		Agent: AgentResult{Status: "skipped", Reason: "test", Values: map[string]float64{}},
	}
	ComputeRatios(r)
	r.Targets = EvaluateTargets(r)
	return r
}

func TestValidateAcceptsSample(t *testing.T) {
	r := sample()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := r.Plugins[1].Ratios["cold_p50_ms_plain"]; got != 0.5 {
		t.Fatalf("ratio = %v, want 0.5", got)
	}
	path := filepath.Join(t.TempDir(), "results.json")
	if err := r.Write(path); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadResults(path); err != nil {
		t.Fatalf("round trip: %v", err)
	}
}

func TestValidateRejects(t *testing.T) {
	cases := []struct {
		name, want string
		edit       func(*Results)
	}{
		{"version", "schema_version", func(r *Results) { r.SchemaVersion = 99 }},
		{"mode", "mode", func(r *Results) { r.Mode = "fast" }},
		{"unknown metric", "unknown metric", func(r *Results) { r.Plugins[0].Values["bogus"] = 1 }},
		{"negative", "finite non-negative", func(r *Results) { r.Plugins[0].Values["cold_p50_ms_plain"] = -1 }},
		{"language", "language", func(r *Results) { r.Plugins[0].Language = "java" }},
		{"baseline", "baseline", func(r *Results) { r.Plugins[1].Baseline = "nope" }},
		{"duplicate id", "repeated", func(r *Results) { r.Plugins[1].ID = r.Plugins[0].ID }},
		{"ratio without value", "without a value", func(r *Results) { r.Plugins[0].Ratios["rss_idle_mib"] = 1 }},
		{"agent reason", "needs a reason", func(r *Results) { r.Agent.Reason = "" }},
		{"agent ok incomplete", "missing", func(r *Results) { r.Agent.Status = "ok" }},
		{"metric defs", "metrics lacks", func(r *Results) { r.Metrics = r.Metrics[1:] }},
		{"target status", "target", func(r *Results) { r.Targets[0].Status = "maybe" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := sample()
			c.edit(r)
			err := r.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestReadRejectsUnknownField(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.json")
	if err := os.WriteFile(path, []byte(`{"schema_version":1,"extra":true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadResults(path); err == nil || !strings.Contains(err.Error(), "extra") {
		t.Fatalf("ReadResults = %v, want unknown field error", err)
	}
}

// The documented schema names every metric key the code can write.
func TestSchemaDocListsEveryKey(t *testing.T) {
	doc, err := os.ReadFile("SCHEMA.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range append(MetricDefs(), agentMetricDefs...) {
		if !strings.Contains(string(doc), d.Key) {
			t.Errorf("SCHEMA.md does not mention %s", d.Key)
		}
	}
}

func TestTargetsMetricsAreDefined(t *testing.T) {
	for _, tr := range targetRules() {
		if _, ok := defOf(tr.metric); !ok {
			t.Errorf("target %q uses undefined metric %s", tr.name, tr.metric)
		}
	}
	ids := map[string]bool{}
	for _, tg := range Targets("/r", "/r/target/release") {
		ids[tg.ID] = true
	}
	for _, tr := range targetRules() {
		if !ids[tr.subject] || !ids[tr.against] {
			t.Errorf("target %q names a plugin that is not measured: %s / %s", tr.name, tr.subject, tr.against)
		}
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i))
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50}, {0.9, 90}, {0.99, 99}, {1, 100}, {0, 1}} {
		if got := percentile(ds, c.q); got != c.want {
			t.Errorf("percentile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
	if percentile(nil, 0.5) != 0 {
		t.Error("percentile of nothing is not 0")
	}
}

// TestResultsFile validates a results.json given by the environment, e.g.
// YURT_BENCH_RESULTS=build/bench/smoke/results.json go test ./bench/...
func TestResultsFile(t *testing.T) {
	path := os.Getenv("YURT_BENCH_RESULTS")
	if path == "" {
		t.Skip("YURT_BENCH_RESULTS not set")
	}
	if _, err := ReadResults(path); err != nil {
		t.Fatal(err)
	}
}

func TestSVGAndMarkdown(t *testing.T) {
	r := sample()
	svg := SVG(r)
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "rust-floor") {
		t.Fatalf("SVG lacks its root or a plugin: %.200s", svg)
	}
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
	}
	md := Markdown(r)
	if !strings.Contains(md, "| rust-floor | go-sdk/go-exec | 5.00 (0.50x)") {
		t.Fatalf("markdown lacks the ratio cell:\n%s", md)
	}
}
