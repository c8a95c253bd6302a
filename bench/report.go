package bench

import (
	"fmt"
	"math"
	"strings"
)

// ComputeRatios fills each plugin's Ratios with value / baseline value.
func ComputeRatios(r *Results) {
	byID := map[string]*PluginResult{}
	for i := range r.Plugins {
		byID[r.Plugins[i].ID] = &r.Plugins[i]
	}
	for i := range r.Plugins {
		p := &r.Plugins[i]
		b := byID[p.Baseline]
		if b == nil {
			continue
		}
		for k, v := range p.Values {
			if bv, ok := b.Values[k]; ok && bv > 0 {
				p.Ratios[k] = v / bv
			}
		}
	}
}

// targetRule is one target of the issue: subject's metric divided by
// against's must be at most limit.
type targetRule struct {
	name, subject, against, metric string
	limit                          float64
}

func targetRules() []targetRule {
	var out []targetRule
	add := func(name, subject, against, limit string, metrics ...string) {
		var l float64
		fmt.Sscan(limit, &l)
		for _, m := range metrics {
			out = append(out, targetRule{name, subject, against, m, l})
		}
	}
	add("Rust cold start <= 1.0x Go", "rust-sdk/rust-files", "go-sdk/go-files", "1.0", "cold_p50_ms_mtls", "cold_p50_ms_plain")
	add("Rust unary p50 <= 1.0x Go", "rust-sdk/rust-files", "go-sdk/go-files", "1.0", "info_p50_us_mtls", "info_p50_us_plain")
	add("Rust cold start <= 1.0x Go", "rust-sdk/rust-exec", "go-sdk/go-exec", "1.0", "cold_p50_ms_mtls", "cold_p50_ms_plain")
	add("Rust unary p50 <= 1.0x Go", "rust-sdk/rust-exec", "go-sdk/go-exec", "1.0", "info_p50_us_mtls", "info_p50_us_plain", "inspect_p50_us_mtls", "inspect_p50_us_plain")
	pyCold, pyLimit := fmt.Sprintf("Python cold start <= %gx Go", PyColdLimit), fmt.Sprint(PyColdLimit)
	add(pyCold, "python-sdk/python-exec", "go-sdk/go-exec", pyLimit, "cold_p50_ms_mtls", "cold_p50_ms_plain")
	add(pyCold, "python-sdk/python-files", "go-sdk/go-files", pyLimit, "cold_p50_ms_mtls", "cold_p50_ms_plain")
	add("Python unary p50 <= 3x Go", "python-sdk/python-exec", "go-sdk/go-exec", "3", "info_p50_us_mtls", "info_p50_us_plain", "inspect_p50_us_mtls", "inspect_p50_us_plain")
	add("Python unary p50 <= 3x Go", "python-sdk/python-files", "go-sdk/go-files", "3", "info_p50_us_mtls", "info_p50_us_plain")
	add("Go SDK <= 1.15x Go floor", "go-sdk/go-exec", "go-floor", "1.15", "cold_p50_ms_plain", "cold_p50_ms_mtls", "info_p50_us_plain", "info_p50_us_mtls", "inspect_p50_us_plain", "inspect_p50_us_mtls")
	add("Python SDK <= 1.15x Python floor", "python-sdk/python-exec", "python-floor", "1.15", "cold_p50_ms_plain", "info_p50_us_plain", "inspect_p50_us_plain")
	add("Rust SDK <= 1.15x Rust floor", "rust-sdk/rust-files", "rust-floor", "1.15", "cold_p50_ms_plain", "cold_p50_ms_mtls", "info_p50_us_plain", "info_p50_us_mtls")
	for _, g := range FloorGoals {
		add(fmt.Sprintf("SDK <= %.2fx its floor", g.Limit), g.Subject, g.Floor, fmt.Sprint(g.Limit), g.Metrics...)
	}
	return out
}

// EvaluateTargets compares this run's figures with the targets.
func EvaluateTargets(r *Results) []TargetCheck {
	byID := map[string]*PluginResult{}
	for i := range r.Plugins {
		byID[r.Plugins[i].ID] = &r.Plugins[i]
	}
	var out []TargetCheck
	for _, t := range targetRules() {
		c := TargetCheck{Name: t.name, Subject: t.subject, Against: t.against, Metric: t.metric, Limit: t.limit, Measured: -1, Status: "not measured"}
		s, a := byID[t.subject], byID[t.against]
		switch {
		case s == nil || a == nil:
			c.Note = "plugin not in this run"
		default:
			sv, ok1 := s.Values[t.metric]
			av, ok2 := a.Values[t.metric]
			if !ok1 || !ok2 || av <= 0 {
				c.Note = "figure missing (see the plugin's errors)"
				break
			}
			c.Measured = sv / av
			if pr, ok := pairedRatio(s.Samples[t.metric], a.Samples[t.metric]); ok {
				c.Measured, c.Pairs, c.CILow, c.CIHigh, c.CILevel = pr.Median, pr.N, pr.Lo, pr.Hi, pr.Level
			}
			c.Status = "missed"
			if c.Measured <= t.limit {
				c.Status = "met"
			} else {
				c.Note = fmt.Sprintf("by %.2fx, %+.0f%%", c.Measured-t.limit, 100*(c.Measured/t.limit-1))
			}
			if cm, ok := strings.CutPrefix(t.metric, "cold_p50_ms_"); ok {
				// On-CPU time to the same moment, which waiting for a CPU does not inflate.
				if pr, ok := pairedRatio(s.Samples["cold_cpu_p50_ms_"+cm], a.Samples["cold_cpu_p50_ms_"+cm]); ok {
					c.Note = addNote(c.Note, fmt.Sprintf("on-CPU %.2fx [%.2f–%.2f]", pr.Median, pr.Lo, pr.Hi))
				}
			}
			if c.Pairs > 0 && c.CILow <= t.limit && t.limit < c.CIHigh {
				c.Note = addNote(c.Note, "the interval spans the limit: not resolved by this run")
			}
		}
		out = append(out, c)
	}
	out = append(out, agentTargets(r)...)
	out = append(out, superviseTargets(r)...)
	explainMisses(r, out)
	return out
}

// superviseTargets checks each SDK's per-task supervision cost against the
// goal (PSS at most 2 MiB, start p50 under 20 ms), the anchor (Nomad
// raw_exec's per-task executor) and nothing left after destroy.
func superviseTargets(r *Results) []TargetCheck {
	var out []TargetCheck
	for _, s := range r.Supervision {
		subj := s.ID + " supervise"
		check := func(name, metric string, limit float64, strict bool) {
			c := TargetCheck{Name: name, Subject: subj, Metric: metric, Limit: limit, Measured: -1, Status: "not measured"}
			v, ok := s.Values[metric]
			if !ok {
				c.Note = "figure missing (see the supervision errors)"
				out = append(out, c)
				return
			}
			c.Measured, c.Status = v, "missed"
			if v < limit || !strict && v == limit {
				c.Status = "met"
			} else {
				c.Note = missBy(metric, v, limit)
			}
			out = append(out, c)
		}
		check(fmt.Sprintf("supervisor PSS <= %g MiB per task", SupervisePSSGoalMiB), "pss_mib_mean", SupervisePSSGoalMiB, false)
		check(fmt.Sprintf("supervisor PSS <= Nomad executor %.1f MiB", NomadExecutorPSSMiB), "pss_mib_mean", NomadExecutorPSSMiB, false)
		check(fmt.Sprintf("start p50 < %g ms", SuperviseStartGoalMS), "start_ms_p50", SuperviseStartGoalMS, true)
		c := TargetCheck{Name: "destroy leaves nothing", Subject: subj, Metric: "leftover", Limit: 0,
			Measured: float64(len(s.Leftover)), Status: "met"}
		if len(s.Leftover) > 0 {
			c.Status, c.Note = "missed", s.Leftover[0]
		}
		if len(s.Values) == 0 {
			c.Measured, c.Status, c.Note = -1, "not measured", "the measurement failed"
		}
		out = append(out, c)
	}
	return out
}

// targetValue formats a target's measured value or limit in its unit.
func targetValue(metric string, v float64, ratio bool) string {
	switch {
	case metric == "agent_rss_mib" || strings.HasSuffix(metric, "_mib") || strings.HasPrefix(metric, "pss_mib"):
		return fmt.Sprintf("%s MiB", fmtVal(v))
	case strings.HasPrefix(metric, "start_ms"):
		return fmt.Sprintf("%s ms", fmtVal(v))
	case metric == "leftover":
		return fmt.Sprintf("%g", v)
	case metric == "tasks_per_s":
		return fmt.Sprintf("%s tasks/s", fmtVal(v))
	case strings.HasSuffix(metric, "_s"):
		return fmt.Sprintf("%s s", fmtVal(v))
	case metric == "reattach_lost":
		return fmt.Sprintf("%g", v)
	case ratio:
		return fmt.Sprintf("%.2fx", v)
	}
	return fmt.Sprintf("%gx", v)
}

var latencyCols = []string{"cold_p50_ms_plain", "cold_p90_ms_plain", "cold_p50_ms_mtls", "cold_p90_ms_mtls",
	"cold_cpu_p50_ms_plain", "cold_cpu_p50_ms_mtls",
	"info_p50_us_plain", "info_p99_us_plain", "info_p50_us_mtls", "info_p99_us_mtls",
	"inspect_p50_us_plain", "inspect_p99_us_plain", "inspect_p50_us_mtls", "inspect_p99_us_mtls"}
var otherCols = []string{"task_stats_msgs_per_s", "device_stats_msgs_per_s", "first_fingerprint_ms", "lifecycle_tasks_per_s",
	"rss_idle_mib", "rss_idle_peak_mib", "rss_hold_mib", "rss_hold_peak_mib", "task_side_kib_per_task"}

func fmtVal(v float64) string {
	switch {
	case v >= 1000:
		return fmt.Sprintf("%.0f", v)
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func table(r *Results, cols []string) string {
	var b strings.Builder
	b.WriteString("| plugin | baseline |")
	for _, c := range cols {
		d, _ := defOf(c)
		fmt.Fprintf(&b, " %s (%s) |", c, d.Unit)
	}
	b.WriteString("\n|---|---|")
	for range cols {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	for _, p := range r.Plugins {
		fmt.Fprintf(&b, "| %s | %s |", p.ID, p.Baseline)
		for _, c := range cols {
			v, ok := p.Values[c]
			if !ok {
				b.WriteString(" – |")
				continue
			}
			if ra, ok := p.Ratios[c]; ok && p.ID != p.Baseline {
				fmt.Fprintf(&b, " %s (%.2fx) |", fmtVal(v), ra)
			} else {
				fmt.Fprintf(&b, " %s |", fmtVal(v))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Markdown renders the results: targets, the two tables, agent, errors;
// the scale plot is scale.svg beside it.
func Markdown(r *Results) string { return markdown(r, "scale.svg") }

func markdown(r *Results, scalePlot string) string {
	var b strings.Builder
	b.WriteString("### Targets\n\n" + pairedNote(r))
	b.WriteString("| target | subject | against | metric | measured | limit | status |\n|---|---|---|---|---:|---:|---|\n")
	for _, t := range r.Targets {
		m := "–"
		if t.Measured >= 0 {
			m = targetValue(t.Metric, t.Measured, true)
		}
		if t.Pairs > 0 {
			m += fmt.Sprintf(" [%.2f–%.2f]", t.CILow, t.CIHigh)
		}
		st := t.Status
		if t.Note != "" {
			st += " (" + t.Note + ")"
		}
		lim := targetValue(t.Metric, t.Limit, false)
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", t.Name, t.Subject, t.Against, t.Metric, m, lim, st)
	}
	b.WriteString(WhyMarkdown(r))
	b.WriteString("\n### Latency (value, and ratio to the baseline: the Go SDK example of the same kind, same run)\n\n")
	b.WriteString(table(r, latencyCols))
	b.WriteString(PyColdMarkdown(r.PythonCold))
	b.WriteString("\n### Streams, lifecycle, memory (same ratios; for msg/s and tasks/s higher is better)\n\n")
	b.WriteString(table(r, otherCols))
	fmt.Fprintf(&b, "\n### Host scale: `yurt agent` with %d plugins and up to %d tasks\n\n", r.Config.AgentPlugins, r.Config.AgentTasks)
	if r.Agent.Status != "ok" {
		fmt.Fprintf(&b, "%s: %s\n", r.Agent.Status, r.Agent.Reason)
	}
	if len(r.Agent.Values) > 0 {
		b.WriteString("\n| figure | value | unit |\n|---|---:|---|\n")
		for _, d := range agentMetricDefs {
			if v, ok := r.Agent.Values[d.Key]; ok {
				fmt.Fprintf(&b, "| %s: %s | %s | %s |\n", d.Key, d.Description, fmtVal(v), d.Unit)
			}
		}
	}
	b.WriteString(ScaleMarkdown(r, scalePlot))
	if len(r.Supervision) > 0 {
		b.WriteString(SupervisionMarkdown(r))
	}
	var errs []string
	for _, p := range r.Plugins {
		for _, e := range p.Errors {
			errs = append(errs, fmt.Sprintf("- %s: %s", p.ID, e))
		}
	}
	if len(errs) > 0 {
		b.WriteString("\n### Errors\n\n" + strings.Join(errs, "\n") + "\n")
	}
	return b.String()
}

// SupervisionMarkdown renders the per-task supervision cost of each SDK
// against the goal and Nomad raw_exec's per-task processes.
func SupervisionMarkdown(r *Results) string {
	var b strings.Builder
	b.WriteString("\n### Per-task supervision cost\n\n")
	fmt.Fprintf(&b, "Each SDK's own layer starts `sleep 3600` tasks one after another from one process (no process spawn per start is counted), "+
		"keeps them all running while each supervisor's PSS is read from /proc/<pid>/smaps_rollup, then destroys them and checks that no process "+
		"and no state directory is left. Goal: PSS <= %g MiB per task and start p50 < %g ms. Anchor: Nomad v2.0.5 raw_exec's per-task "+
		"`nomad executor`, %.1f MiB PSS (+ `nomad logmon` %.1f MiB = %.1f MiB per task). Start latency is from the start call to its return "+
		"(the supervisor has recorded the task's main process in started.pb).\n\n",
		SupervisePSSGoalMiB, SuperviseStartGoalMS, NomadExecutorPSSMiB, NomadLogmonPSSMiB, NomadExecutorPSSMiB+NomadLogmonPSSMiB)
	b.WriteString("| SDK | supervisor | tasks | PSS mean / p50 / max (MiB) | start p50 / p90 / max (ms) | PSS <= 2 MiB | vs Nomad executor 17.0 MiB | start p50 < 20 ms | left after destroy | measured at (load avg 1m) |\n")
	b.WriteString("|---|---|---:|---:|---:|---|---|---|---|---|\n")
	for _, s := range r.Supervision {
		v := s.Values
		pssCell, startCell, goal, anchor, start := "–", "–", "not measured", "not measured", "not measured"
		if len(v) > 0 {
			pssCell = fmt.Sprintf("%.2f / %.2f / %.2f", v["pss_mib_mean"], v["pss_mib_p50"], v["pss_mib_max"])
			startCell = fmt.Sprintf("%.1f / %.1f / %.1f", v["start_ms_p50"], v["start_ms_p90"], v["start_ms_max"])
			goal, anchor, start = "missed", "missed", "missed"
			if v["pss_mib_mean"] <= SupervisePSSGoalMiB {
				goal = "met"
			}
			if v["pss_mib_mean"] <= NomadExecutorPSSMiB {
				anchor = fmt.Sprintf("met (%.1f%%)", 100*v["pss_mib_mean"]/NomadExecutorPSSMiB)
			}
			if v["start_ms_p50"] < SuperviseStartGoalMS {
				start = "met"
			}
		}
		left := "nothing"
		if len(s.Leftover) > 0 {
			left = fmt.Sprintf("%d: %s", len(s.Leftover), s.Leftover[0])
		}
		if len(v) == 0 {
			left = "– (" + strings.Join(s.Errors, "; ") + ")"
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s (%.2f) |\n", s.ID, s.Supervisor, s.Tasks, pssCell, startCell,
			goal, anchor, start, left, s.MeasuredAt, s.LoadAvg1)
	}
	return b.String()
}

// SVG draws cold start p50 and PluginInfo p50 per plugin, both modes, on a
// log scale, as grouped horizontal bars in two panels.
func SVG(r *Results) string {
	type panel struct {
		title string
		keys  [2]string
		unit  string
	}
	panels := []panel{
		{"Cold start p50 (spawn, handshake, first PluginInfo)", [2]string{"cold_p50_ms_plain", "cold_p50_ms_mtls"}, "ms"},
		{"Unary PluginInfo p50", [2]string{"info_p50_us_plain", "info_p50_us_mtls"}, "µs"},
	}
	colors := map[string]string{"go": "#00add8", "python": "#3776ab", "rust": "#b7410e"}
	const labelW, barW, rowH, barH, panelGap, top = 210.0, 460.0, 34.0, 13.0, 50.0, 40.0
	width := labelW + barW + 130
	n := float64(len(r.Plugins))
	panelH := top + n*rowH + 30
	height := panelH*float64(len(panels)) + panelGap
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="10" y="%.0f" font-size="11" fill="#555">solid: plaintext, hatched: AutoMTLS; log scale; %s, %d CPUs</text>`+"\n", height-8, esc(r.GeneratedAt), r.Machine.CPUs)
	b.WriteString(`<defs><pattern id="h" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="white"/><line x1="0" y1="0" x2="0" y2="6" stroke="black" stroke-width="3" opacity="0.35"/></pattern></defs>` + "\n")
	for pi, pn := range panels {
		y0 := float64(pi) * panelH
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range r.Plugins {
			for _, k := range pn.keys {
				if v, ok := p.Values[k]; ok && v > 0 {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
		fmt.Fprintf(&b, `<text x="10" y="%.0f" font-size="14" font-weight="bold">%s (%s)</text>`+"\n", y0+22, esc(pn.title), pn.unit)
		if math.IsInf(lo, 0) {
			continue
		}
		lmin, lmax := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
		if lmax == lmin {
			lmax++
		}
		x := func(v float64) float64 { return labelW + (math.Log10(v)-lmin)/(lmax-lmin)*barW }
		for e := lmin; e <= lmax; e++ {
			gx := labelW + (e-lmin)/(lmax-lmin)*barW
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="#ddd"/><text x="%.1f" y="%.0f" text-anchor="middle" fill="#555">%s</text>`+"\n",
				gx, y0+top-6, gx, y0+top+n*rowH, gx, y0+top+n*rowH+14, fmtVal(math.Pow(10, e)))
		}
		for i, p := range r.Plugins {
			ry := y0 + top + float64(i)*rowH
			fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end">%s</text>`+"\n", labelW-8, ry+barH+4, esc(p.ID))
			for j, k := range pn.keys {
				v, ok := p.Values[k]
				if !ok || v <= 0 {
					continue
				}
				by := ry + float64(j)*barH
				w := math.Max(1, x(v)-labelW)
				fmt.Fprintf(&b, `<rect x="%.0f" y="%.1f" width="%.1f" height="%.0f" fill="%s"/>`, labelW, by, w, barH-1, colors[p.Language])
				if j == 1 {
					fmt.Fprintf(&b, `<rect x="%.0f" y="%.1f" width="%.1f" height="%.0f" fill="url(#h)" opacity="0.6"/>`, labelW, by, w, barH-1)
				}
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10">%s</text>`+"\n", labelW+w+4, by+barH-3, fmtVal(v))
			}
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}

func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// pairedNote explains the bracketed intervals when some target has them.
func pairedNote(r *Results) string {
	for _, t := range r.Targets {
		if t.Pairs > 0 {
			return fmt.Sprintf("A ratio of two plugins of this run is the median of per-round ratios (each cold start, or each "+
				"round's unary p50, of the subject divided by the other plugin's in the same round; %d pairs for %s), "+
				"with its %.0f%% confidence interval in brackets (order statistics, no assumption on the distribution). "+
				"The status is read on the median; an interval that spans the limit means this run cannot tell.\n\n",
				t.Pairs, t.Metric, 100*t.CILevel)
		}
	}
	return ""
}

// addNote appends part to a target's note, "; "-separated.
func addNote(note, part string) string {
	if note == "" {
		return part
	}
	return note + "; " + part
}
