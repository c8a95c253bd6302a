package bench

import (
	"fmt"
	"strings"
)

// Issue 19: "where a target is missed, [make bench] says by how much and
// why". By how much is the target's note; why is computed here from the
// same run wherever the run holds the cause (a floor that is itself past
// the limit, a rate that falls with the task count, the load the machine
// was under), and otherwise names the section of bench/FINDINGS.md that
// holds the profile.

// explainMisses fills Why on every missed target.
func explainMisses(r *Results, checks []TargetCheck) {
	for i := range checks {
		if checks[i].Status == "missed" {
			checks[i].Why = why(r, checks[i])
		}
	}
}

func pluginValue(r *Results, id, metric string) (float64, bool) {
	for _, p := range r.Plugins {
		if p.ID == id {
			v, ok := p.Values[metric]
			return v, ok && v > 0
		}
	}
	return 0, false
}

func why(r *Results, c TargetCheck) string {
	var parts []string
	add := func(f string, a ...any) { parts = append(parts, fmt.Sprintf(f, a...)) }
	plain := strings.TrimSuffix(strings.TrimSuffix(c.Metric, "_mtls"), "_plain") + "_plain"
	mtls := strings.HasSuffix(c.Metric, "_mtls")
	switch {
	case strings.HasPrefix(c.Name, "Python cold start") || strings.HasPrefix(c.Name, "Python unary"):
		// The Python floor against Go, on the same metric: a floor past the
		// limit is a limit of the language's gRPC stack, not of the SDK.
		floor, fok := pluginValue(r, "python-floor", plain)
		goV, gok := pluginValue(r, c.Against, plain)
		sdk, sok := pluginValue(r, c.Subject, plain)
		if fok && gok {
			add("the bare grpc.aio floor (no SDK) is itself %.2fx Go on %s in this run", floor/goV, plain)
			if sok && strings.HasPrefix(c.Subject, "python-sdk/python-exec") {
				add("the SDK adds %.2fx on top of it", sdk/floor)
			}
		}
		if strings.HasPrefix(c.Name, "Python cold start") && r.PythonCold != nil {
			if o := r.PythonCold.firstOver(); o != "" {
				add("the first layer past %gx Go is `%s` (see \"Python cold start: the floor of each option\")", r.PythonCold.LimitFactor, o)
			}
		}
		if mtls {
			add("with AutoMTLS the Python SDK also relays TLS through a second socket, as grpcio cannot verify go-plugin's P-521 client certificate (bench/FINDINGS.md)")
		}
	case strings.Contains(c.Name, "floor"):
		if c.Pairs > 0 && c.CILow <= c.Limit {
			add("the %.0f%% interval of the %d paired ratios, [%.2f–%.2f]x, includes the limit: this run cannot tell it from noise", 100*c.CILevel, c.Pairs, c.CILow, c.CIHigh)
		} else if c.Pairs > 0 {
			add("the %.0f%% interval of the %d paired ratios, [%.2f–%.2f]x, lies above the limit", 100*c.CILevel, c.Pairs, c.CILow, c.CIHigh)
		}
		add("the SDK's own cost over the bare %s plugin; profiles and fixes in bench/FINDINGS.md (SDK overhead)", c.Against)
	case c.Metric == "tasks_per_s":
		add("%s", scaleTrend(r, "tasks_per_s", "tasks/s"))
		if s := startCPU(r); s != "" {
			add("%s", s)
		}
	case c.Metric == "reattach_s":
		add("see bench/FINDINGS.md (agent at scale) for where reattach spends its time")
	case c.Metric == "start_ms_p50":
		for _, s := range r.Supervision {
			if s.ID+" supervise" == c.Subject {
				add("measured at a load average of %.2f on %d cores", s.LoadAvg1, r.Machine.CPUs)
			}
		}
		add("a start is two process spawns (supervisor, task) and the supervisor's durable started.pb; see bench/FINDINGS.md")
	}
	if r.Machine.CPUs > 0 && r.Machine.LoadAvg1 > float64(r.Machine.CPUs) {
		add("the run started at a load average of %.2f on %d cores, so the machine was shared", r.Machine.LoadAvg1, r.Machine.CPUs)
	}
	if len(parts) == 0 {
		return "not explained by this run; see bench/FINDINGS.md"
	}
	return strings.Join(parts, "; ")
}

// scaleTrend says how a per-step figure moved with the task count.
func scaleTrend(r *Results, key, unit string) string {
	pts := r.Agent.Scale
	if len(pts) == 0 {
		return "no scale steps were measured"
	}
	var steps []string
	for _, p := range pts {
		if v, ok := p.Values[key]; ok {
			steps = append(steps, fmt.Sprintf("%s %s up to %d tasks", fmtVal(v), unit, p.Tasks))
		}
	}
	return fmt.Sprintf("the rate of each step: %s; bench/FINDINGS.md (agent at scale) has the profile", strings.Join(steps, ", "))
}

// WhyMarkdown lists the missed targets with why each was missed.
func WhyMarkdown(r *Results) string {
	var b strings.Builder
	for _, t := range r.Targets {
		if t.Status == "missed" && t.Why != "" {
			if b.Len() == 0 {
				b.WriteString("\n### Why each missed target was missed\n\n")
			}
			fmt.Fprintf(&b, "- **%s** (%s, %s, %s): %s.\n", t.Name, t.Subject, t.Metric, t.Note, t.Why)
		}
	}
	return b.String()
}

// startCPU says what a start cost in CPU over the whole fill (the steps
// weighted by the tasks each added) and the rate the CPUs allow at that cost.
func startCPU(r *Results) string {
	var tasks, total, agent, plugins, supervised float64
	prev := 0
	for _, p := range r.Agent.Scale {
		n := float64(p.Tasks - prev)
		prev = p.Tasks
		c, ok := p.Values["start_cpu_ms_per_task"]
		if !ok || n <= 0 {
			continue
		}
		tasks += n
		total += c * n
		agent += p.Values["start_cpu_ms_agent"] * n
		plugins += p.Values["start_cpu_ms_plugins"] * n
		supervised += p.Values["start_cpu_ms_rest"] * n
	}
	if tasks == 0 || total == 0 || r.Machine.CPUs < 1 {
		return ""
	}
	per := total / tasks
	return fmt.Sprintf("a start cost %.1f ms of CPU (machine-wide, over the fill; the agent %.1f, the plugins %.1f, the rest (supervisors, tasks, kernel) %.1f), "+
		"so %d cores start at most %.0f tasks/s at that cost, however the work is spread",
		per, agent/tasks, plugins/tasks, supervised/tasks, r.Machine.CPUs, float64(r.Machine.CPUs)*1000/per)
}
