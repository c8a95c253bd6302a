package inputlimit

import (
	"fmt"
	"strconv"
)

// Size limits shared by the agent and the CLI.
const (
	// MaxTaskFileBytes bounds a task file (the CLI checks it before reading,
	// the agent before parsing).
	MaxTaskFileBytes = 1 << 20
	// MaxAgentFileBytes bounds the agent configuration file.
	MaxAgentFileBytes = 1 << 20
	// QuoteBytes is how much of a bad value an error message quotes.
	QuoteBytes = 64
)

// SizeError says an input is larger than its limit.
type SizeError struct {
	What  string // e.g. "task file /etc/yurt/web.hcl"
	Size  int64  // -1 when only "more than Limit" is known
	Limit int64
}

func (e *SizeError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("%s is larger than the limit of %s", e.What, Bytes(e.Limit))
	}
	return fmt.Sprintf("%s is %s, larger than the limit of %s", e.What, Bytes(e.Size), Bytes(e.Limit))
}

// CheckSize returns a *SizeError when size > limit.
func CheckSize(what string, size, limit int64) error {
	if size > limit {
		return &SizeError{What: what, Size: size, Limit: limit}
	}
	return nil
}

// Bytes renders a byte count for people: "1 MiB (1048576 bytes)".
func Bytes(n int64) string {
	exact := strconv.FormatInt(n, 10) + " bytes"
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB (%s)", n>>20, exact)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB (%s)", float64(n)/(1<<20), exact)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB (%s)", n>>10, exact)
	}
	return exact
}

// Quote returns s quoted with %q, cut to at most max bytes (QuoteBytes when
// max <= 0) with the full length noted, so that an error never echoes a
// huge input back.
func Quote(s string, max int) string {
	if max <= 0 {
		max = QuoteBytes
	}
	if len(s) <= max {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%q... (%d bytes in all)", s[:max], len(s))
}
