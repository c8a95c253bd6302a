package bench

import (
	"fmt"
	"math"
	"strings"
)

// agentTargets evaluates AgentGoals on this run's agent figures.
func agentTargets(r *Results) []TargetCheck {
	var out []TargetCheck
	for _, g := range AgentGoals {
		c := TargetCheck{Name: g.Name, Subject: "yurt agent", Metric: g.Metric, Limit: g.Limit, Measured: -1, Status: "not measured"}
		vals := r.Agent.Values
		if g.At > 0 {
			vals = nil
			for _, p := range r.Agent.Scale {
				if p.Tasks == g.At {
					vals = p.Values
				}
			}
		}
		v, ok := vals[g.Metric]
		switch {
		case r.Agent.Status == "skipped":
			c.Note = "agent " + r.Agent.Status + ": " + r.Agent.Reason
		case g.At > 0 && vals == nil:
			c.Note = fmt.Sprintf("no step with %d tasks in this run", g.At)
		case g.Min > 0 && vals["tasks_running"] < float64(g.Min):
			c.Note = fmt.Sprintf("only %d tasks in this run, the goal is for %d", int(vals["tasks_running"]), g.Min)
		case !ok:
			c.Note = "figure missing"
			if r.Agent.Reason != "" {
				c.Note += " (agent " + r.Agent.Status + ": " + r.Agent.Reason + ")"
			}
		default:
			c.Measured, c.Status = v, "missed"
			if g.Higher && v >= g.Limit || !g.Higher && v <= g.Limit {
				c.Status = "met"
			} else {
				c.Note = missBy(g.Metric, v, g.Limit)
			}
			if g.Metric == "per_task_pss_mib" && g.Limit == NomadPerTaskPSSMiB && c.Status == "met" {
				c.Note = fmt.Sprintf("%.1f%% of Nomad's", 100*v/g.Limit)
			}
		}
		out = append(out, c)
	}
	return out
}

// missBy says by how much a value missed its limit, in the metric's unit
// and in percent.
func missBy(metric string, v, limit float64) string {
	if limit == 0 {
		return fmt.Sprintf("by %s", targetValue(metric, v, true))
	}
	return fmt.Sprintf("by %s, %+.0f%%", targetValue(metric, math.Abs(v-limit), true), 100*(v/limit-1))
}

// ScaleMarkdown is the agent's table per task count, the reattach and
// stop figures, and the plot.
func ScaleMarkdown(r *Results, plotPath string) string {
	if len(r.Agent.Scale) == 0 {
		return ""
	}
	var b strings.Builder
	drivers := "go-exec (Go), python-exec (Python) and rust-exec (Rust), round-robin"
	fmt.Fprintf(&b, "\n#### The agent against task count\n\nTasks (`sleep 3600`) go to %s, submitted by 8 concurrent API clients; "+
		"at each step the agent is measured holding all of them. Per-task PSS is (tree PSS - tree PSS with no task) / tasks over the agent's "+
		"whole process tree (plugins, supervisors, tasks; logs are collected inside the agent). Nomad v2.0.5 raw_exec: %.1f MiB per task "+
		"(executor %.1f + logmon %.1f).\n\n", drivers, NomadPerTaskPSSMiB, NomadExecutorPSSMiB, NomadLogmonPSSMiB)
	if plotPath != "" {
		fmt.Fprintf(&b, "![per-task cost, agent RSS and API latency against task count](%s)\n\n", plotPath)
	}
	cols := []string{"tasks_running", "tasks_per_s", "start_cpu_ms_per_task", "start_cpu_ceiling_tasks_per_s", "start_cpu_ms_agent",
		"start_cpu_ms_plugins", "start_cpu_ms_rest", "agent_rss_mib", "tree_pss_mib", "per_task_pss_mib", "agent_fds", "tree_idle_cpu_pct",
		"list_p50_ms", "list_p99_ms", "status_p50_ms", "status_p99_ms"}
	b.WriteString("| tasks |")
	for _, c := range cols {
		d, _ := defOfScale(c)
		fmt.Fprintf(&b, " %s (%s) |", c, d.Unit)
	}
	b.WriteString("\n|---:|" + strings.Repeat("---:|", len(cols)) + "\n")
	for _, p := range r.Agent.Scale {
		fmt.Fprintf(&b, "| %d |", p.Tasks)
		for _, c := range cols {
			if v, ok := p.Values[c]; ok {
				fmt.Fprintf(&b, " %s |", fmtVal(v))
			} else {
				b.WriteString(" – |")
			}
		}
		b.WriteString("\n")
	}
	v := r.Agent.Values
	if x, ok := v["reattach_s"]; ok {
		fmt.Fprintf(&b, "\nAfter SIGKILL of the agent holding %d tasks, a new agent had %d running again in **%.1f s** (%d lost). ",
			int(v["tasks_running"]), int(v["reattach_running"]), x, int(v["reattach_lost"]))
	}
	if x, ok := v["stop_all_s"]; ok {
		fmt.Fprintf(&b, "Stopping all of them through the API took **%.1f s** (%.0f tasks/s).", x, v["stop_tasks_per_s"])
	}
	b.WriteString("\n")
	return b.String()
}

func defOfScale(k string) (MetricDef, bool) {
	for _, d := range scaleMetricDefs {
		if d.Key == k {
			return d, true
		}
	}
	return MetricDef{}, false
}

// series is one line of a plot.
type series struct {
	name, color, dash string
	xs, ys            []float64
}

// ScaleSVG plots per-task PSS (with Nomad's per-task figure and the 3 MiB
// goal as reference lines), agent RSS, and list/status latency against the
// task count, on a log-scaled task axis.
func ScaleSVG(r *Results) string {
	var xs []float64
	get := func(k string) []float64 {
		var ys []float64
		for _, p := range r.Agent.Scale {
			ys = append(ys, p.Values[k])
		}
		return ys
	}
	for _, p := range r.Agent.Scale {
		xs = append(xs, float64(p.Tasks))
	}
	flat := func(v float64) []float64 { return []float64{v, v} }
	ends := []float64{}
	if len(xs) > 0 {
		ends = []float64{xs[0], xs[len(xs)-1]}
	}
	type panel struct {
		title, unit string
		logY        bool
		lines       []series
	}
	panels := []panel{
		{"Per-task PSS (whole tree) against tasks", "MiB", true, []series{
			{"yurt, per task", "#b7410e", "", xs, get("per_task_pss_mib")},
			{fmt.Sprintf("Nomad raw_exec %.1f MiB", NomadPerTaskPSSMiB), "#555", "6,4", ends, flat(NomadPerTaskPSSMiB)},
			{"goal 3 MiB", "#2a2", "2,3", ends, flat(3)},
		}},
		{"Agent RSS against tasks", "MiB", false, []series{
			{"agent RSS", "#00add8", "", xs, get("agent_rss_mib")},
			{"goal 300 MiB at 2,000", "#2a2", "2,3", ends, flat(300)},
		}},
		{"API latency against tasks", "ms", true, []series{
			{"list p50", "#3776ab", "", xs, get("list_p50_ms")},
			{"list p99", "#3776ab", "6,4", xs, get("list_p99_ms")},
			{"status p50", "#b7410e", "", xs, get("status_p50_ms")},
			{"status p99", "#b7410e", "6,4", xs, get("status_p99_ms")},
		}},
	}
	const W, H, left, right, top, bottom, gap = 760.0, 230.0, 70.0, 200.0, 34.0, 36.0, 16.0
	height := float64(len(panels))*(H+gap) + 20
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="11">`+"\n", W, height, W, height)
	b.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	fmt.Fprintf(&b, `<text x="10" y="%.0f" fill="#555">tasks on a log scale; %s, %d CPUs</text>`+"\n", height-6, esc(r.GeneratedAt), r.Machine.CPUs)
	if len(xs) == 0 {
		b.WriteString("</svg>\n")
		return b.String()
	}
	xlo, xhi := math.Log10(xs[0]), math.Log10(xs[len(xs)-1])
	if xhi == xlo {
		xhi = xlo + 1
	}
	pw := W - left - right
	for i, pn := range panels {
		y0 := float64(i) * (H + gap)
		ph := H - top - bottom
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, s := range pn.lines {
			for _, y := range s.ys {
				if y > 0 {
					lo, hi = math.Min(lo, y), math.Max(hi, y)
				}
			}
		}
		fmt.Fprintf(&b, `<text x="10" y="%.0f" font-size="13" font-weight="bold">%s (%s)</text>`+"\n", y0+18, esc(pn.title), pn.unit)
		if math.IsInf(lo, 0) {
			continue
		}
		var ty func(float64) float64
		var ticks []float64
		if pn.logY {
			l0, l1 := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
			if l1 == l0 {
				l1++
			}
			ty = func(v float64) float64 { return y0 + top + ph - (math.Log10(v)-l0)/(l1-l0)*ph }
			for e := l0; e <= l1; e++ {
				ticks = append(ticks, math.Pow(10, e))
			}
		} else {
			hi *= 1.1
			ty = func(v float64) float64 { return y0 + top + ph - v/hi*ph }
			step := math.Pow(10, math.Floor(math.Log10(hi/2)))
			for t := 0.0; t <= hi; t += step {
				ticks = append(ticks, t)
			}
		}
		tx := func(x float64) float64 { return left + (math.Log10(x)-xlo)/(xhi-xlo)*pw }
		for _, t := range ticks {
			fmt.Fprintf(&b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#ddd"/><text x="%.0f" y="%.1f" text-anchor="end" fill="#555">%s</text>`+"\n",
				left, ty(t), left+pw, ty(t), left-4, ty(t)+4, fmtVal(t))
		}
		for _, x := range xs {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="#eee"/><text x="%.1f" y="%.0f" text-anchor="middle" fill="#555">%d</text>`+"\n",
				tx(x), y0+top, tx(x), y0+top+ph, tx(x), y0+top+ph+14, int(x))
		}
		for j, s := range pn.lines {
			var pts []string
			for k := range s.xs {
				if k < len(s.ys) && s.ys[k] > 0 {
					pts = append(pts, fmt.Sprintf("%.1f,%.1f", tx(s.xs[k]), ty(s.ys[k])))
				}
			}
			dash := ""
			if s.dash != "" {
				dash = fmt.Sprintf(` stroke-dasharray="%s"`, s.dash)
			}
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`+"\n", strings.Join(pts, " "), s.color, dash)
			if s.dash == "" {
				for _, p := range pts {
					xy := strings.Split(p, ",")
					fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="%s"/>`, xy[0], xy[1], s.color)
				}
				b.WriteString("\n")
			}
			ly := y0 + top + 12 + float64(j)*16
			fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="%s" stroke-width="2"%s/><text x="%.0f" y="%.0f">%s</text>`+"\n",
				left+pw+12, ly-4, left+pw+36, ly-4, s.color, dash, left+pw+40, ly, esc(s.name))
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}
