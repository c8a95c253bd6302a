package execdriver

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/yurt-sdk/yurt/go/plugin/driver"
)

// clockTicks is USER_HZ, 100 on every Linux architecture Go supports.
const clockTicks = 100

// procSample is one reading of /proc/<pid>.
type procSample struct {
	utime, stime uint64 // clock ticks
	rss          uint64 // bytes
	at           time.Time
}

func readProc(pid int) (*procSample, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	// The command name is in parentheses and may hold spaces.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := strings.Fields(s[i+1:])
	// Fields after the name start at field 3 (state); utime is field 14,
	// stime 15, rss (pages) 24.
	if len(f) < 22 {
		return nil, fmt.Errorf("/proc/%d/stat: %d fields, expected at least 24", pid, len(f)+2)
	}
	ut, err1 := strconv.ParseUint(f[11], 10, 64)
	st, err2 := strconv.ParseUint(f[12], 10, 64)
	rssPages, err3 := strconv.ParseUint(f[21], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, fmt.Errorf("/proc/%d/stat: unparsable counters", pid)
	}
	return &procSample{utime: ut, stime: st, rss: rssPages * uint64(os.Getpagesize()), at: time.Now()}, nil
}

func usage(prev, cur *procSample) *driver.ResourceUsage {
	u := &driver.ResourceUsage{
		CPU: &driver.CPUUsage{
			UserMode:   float64(cur.utime) / clockTicks,
			SystemMode: float64(cur.stime) / clockTicks,
			TotalTicks: float64(cur.utime + cur.stime),
			Measured:   []driver.CPUField{driver.CPUUserMode, driver.CPUSystemMode, driver.CPUTotalTicks},
		},
		Memory: &driver.MemoryUsage{RSS: cur.rss, Measured: []driver.MemoryField{driver.MemoryRSS}},
	}
	if prev != nil {
		if dt := cur.at.Sub(prev.at).Seconds(); dt > 0 {
			ticks := float64((cur.utime + cur.stime) - (prev.utime + prev.stime))
			u.CPU.Percent = ticks / clockTicks / dt * 100
			u.CPU.Measured = append(u.CPU.Measured, driver.CPUPercent)
		}
	}
	return u
}

func (d *Driver) TaskStats(ctx context.Context, id string, interval time.Duration) (<-chan *driver.TaskStats, error) {
	t, err := d.get(id)
	if err != nil {
		return nil, err
	}
	ch := make(chan *driver.TaskStats)
	go func() {
		defer close(ch)
		var prev *procSample
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			if _, done := t.exit(); done {
				return
			}
			cur, err := readProc(t.state.PID)
			if err != nil {
				return // the task is gone
			}
			u := usage(prev, cur)
			prev = cur
			s := &driver.TaskStats{ID: id, Timestamp: cur.at, Aggregate: u,
				ByPID: map[string]*driver.ResourceUsage{strconv.Itoa(t.state.PID): u}}
			select {
			case ch <- s:
			case <-ctx.Done():
				return
			}
			select {
			case <-tick.C:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, nil
}
