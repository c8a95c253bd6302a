package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/yurt-sdk/yurt/go/api"
)

// `yurt stats` prints CPU as `nomad alloc status -stats` does:
// floor(total_ticks)/<cpu limit> MHz, and percentages of one core.
func TestPrintStatsShowsMHzAndPercent(t *testing.T) {
	var b bytes.Buffer
	printStats(&b, api.Stats{TaskID: "web-1", Timestamp: time.Unix(0, 0).UTC(), CPUPercent: 99.456, CPUUserMode: 97.5, CPUSystemMode: 1.956,
		CPUTotalTicks: 2431.9, CPULimitMHz: 500, CPUMeasured: []string{"PERCENT", "TOTAL_TICKS"}, MemoryRSS: 2 << 20})
	out := b.String()
	assert.Contains(t, out, "CPU       2431/500 MHz\n")
	assert.Contains(t, out, "CPU %     99.46% (user 97.50%, system 1.96%)\n")

	b.Reset()
	printStats(&b, api.Stats{CPUPercent: 50, CPULimitMHz: 100, CPUMeasured: []string{"PERCENT"}})
	assert.Contains(t, b.String(), "0/100 MHz (total_ticks not measured by the driver)")
}
