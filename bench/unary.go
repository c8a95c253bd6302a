package bench

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/yurt-sdk/yurt/go/gen/basepb"
	"github.com/yurt-sdk/yurt/go/gen/driverpb"
)

// unaryRounds is how many turns UnaryInterleaved takes over the targets:
// also the number of pairs of each paired unary ratio.
const unaryRounds = 30

// openSession launches t, configures it and returns the session and what
// ends it.
func (r *Runner) openSession(ctx context.Context, t Target, mtls bool) (*session, func(), error) {
	p, err := r.launch(ctx, t, mtls)
	if err != nil {
		return nil, nil, fmt.Errorf("launch: %w", err)
	}
	dir, err := os.MkdirTemp(r.Scratch, "s-")
	if err != nil {
		p.Kill()
		return nil, nil, err
	}
	end := func() { p.Kill(); os.RemoveAll(dir) }
	s := &session{t: t, p: p, dir: dir}
	if err := s.configure(ctx); err != nil {
		end()
		return nil, nil, err
	}
	if t.Kind == "driver" {
		s.driver = p.Driver()
	} else {
		s.device = p.Device()
	}
	return s, end, nil
}

// unaryTarget is one target's live session in UnaryInterleaved.
type unaryTarget struct {
	j             int
	s             *session
	end           func()
	taskID        string
	info, inspect []time.Duration
	// infoRounds, inspectRounds: the p50 of each round's batch.
	infoRounds, inspectRounds []time.Duration
	failed                    bool
}

// UnaryInterleaved times PluginInfo, and InspectTask of drivers, of every
// target in each mode: all targets are launched and configured, then
// unaryRounds times each gets UnaryCalls/unaryRounds calls of each RPC in
// turn, in an order shuffled each round (roundOrder); each round's batch p50
// goes into res[i].Samples for paired ratios. As with ColdStarts, a change of background load during the run hits
// every target alike, so that the ratios of one run compare like with like
// (timed one target after the other, two equal plugins differed by up to
// 0.3x). Results go into res[i].Values; Measure then skips its own unary
// timing.
func (r *Runner) UnaryInterleaved(ctx context.Context, ts []Target, res []PluginResult) {
	r.Interleaved = true
	per := max(1, r.Sizes.UnaryCalls/unaryRounds)
	for _, mtls := range []bool{false, true} {
		sfx := suffix(mtls)
		r.logf("unary x%d per RPC, %d interleaved rounds (%s)", per*unaryRounds, unaryRounds, sfx)
		var live []*unaryTarget
		for j, t := range ts {
			if mtls && !t.MTLS {
				continue
			}
			if _, err := os.Stat(t.Path); err != nil {
				continue // Measure records the missing binary
			}
			u, err := r.openUnary(ctx, j, t, mtls)
			if err != nil {
				res[j].Errors = append(res[j].Errors, fmt.Sprintf("unary %s: %v", sfx, err))
				r.logf("  %s: unary %s: %v", t.ID, sfx, err)
				continue
			}
			live = append(live, u)
		}
		for round := 0; round < unaryRounds; round++ {
			for _, k := range roundOrder(len(live), round) {
				u := live[k]
				if u.failed {
					continue
				}
				if err := r.unaryRound(ctx, u, per); err != nil {
					u.failed = true
					res[u.j].Errors = append(res[u.j].Errors, fmt.Sprintf("unary %s: %v", sfx, err))
					r.logf("  %s: unary %s: %v", u.s.t.ID, sfx, err)
				}
			}
		}
		for _, u := range live {
			if !u.failed {
				v := res[u.j].Values
				v["info_p50_us_"+sfx], v["info_p99_us_"+sfx] = us(percentile(u.info, 0.5)), us(percentile(u.info, 0.99))
				if len(u.inspect) > 0 {
					v["inspect_p50_us_"+sfx], v["inspect_p99_us_"+sfx] = us(percentile(u.inspect, 0.5)), us(percentile(u.inspect, 0.99))
					addSamples(&res[u.j], "inspect_p50_us_"+sfx, u.inspectRounds, us)
				}
				addSamples(&res[u.j], "info_p50_us_"+sfx, u.infoRounds, us)
			}
			if u.taskID != "" {
				_ = u.s.destroy(ctx, u.taskID)
			}
			u.end()
		}
	}
}

func (r *Runner) openUnary(ctx context.Context, j int, t Target, mtls bool) (*unaryTarget, error) {
	s, end, err := r.openSession(ctx, t, mtls)
	if err != nil {
		return nil, err
	}
	u := &unaryTarget{j: j, s: s, end: end}
	if t.Kind == "driver" {
		u.taskID = "bench-floor-task"
		if t.Tasks {
			if u.taskID, err = s.startTask(ctx, "/bin/sleep", "3600"); err != nil {
				end()
				return nil, err
			}
		}
	}
	// Warm-up: connections, caches, the runtime's first-call paths.
	if _, _, err := timeCalls(1, r.Sizes.Warmup, func() error { return r.callInfo(ctx, u) }); err != nil {
		u.end()
		return nil, err
	}
	return u, nil
}

func (r *Runner) callInfo(ctx context.Context, u *unaryTarget) error {
	_, err := basepb.NewBasePluginClient(u.s.p.Conn()).PluginInfo(ctx, &basepb.PluginInfoRequest{})
	if err != nil {
		return fmt.Errorf("PluginInfo: %w", err)
	}
	return nil
}

func (r *Runner) unaryRound(ctx context.Context, u *unaryTarget, n int) error {
	bc := basepb.NewBasePluginClient(u.s.p.Conn())
	for i := 0; i < n; i++ {
		start := time.Now()
		if _, err := bc.PluginInfo(ctx, &basepb.PluginInfoRequest{}); err != nil {
			return fmt.Errorf("PluginInfo: %w", err)
		}
		u.info = append(u.info, time.Since(start))
	}
	u.infoRounds = append(u.infoRounds, percentile(u.info[len(u.info)-n:], 0.5))
	if u.s.driver == nil {
		return nil
	}
	dc := driverpb.NewDriverClient(u.s.driver.Conn())
	for i := 0; i < n; i++ {
		start := time.Now()
		if _, err := dc.InspectTask(ctx, &driverpb.InspectTaskRequest{TaskId: u.taskID}); err != nil {
			return fmt.Errorf("InspectTask: %w", err)
		}
		u.inspect = append(u.inspect, time.Since(start))
	}
	u.inspectRounds = append(u.inspectRounds, percentile(u.inspect[len(u.inspect)-n:], 0.5))
	return nil
}
