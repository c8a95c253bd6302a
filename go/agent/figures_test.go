package agent

import (
	"sync/atomic"
)

// figures counts the hostile inputs the suite tried, for RELIABILITY.md
// (TestHostileSummary prints them with -v).
type figures struct{ tried atomic.Int64 }

func (f *figures) add(n int64) { f.tried.Add(n) }

var hostileFigures figures
