package conformance

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Status is the outcome of a case after expected failures are applied.
type Status string

const (
	StatusPass Status = "pass"
	StatusFail Status = "fail"
	StatusSkip Status = "skip"
	// StatusXFail is a failure listed as expected: it does not fail the run.
	StatusXFail Status = "xfail"
	// StatusXPass is a listed expected failure that passed: the list is stale
	// and the run fails.
	StatusXPass Status = "xpass"
)

// Result is the outcome of one case.
type Result struct {
	ID       string        `json:"id"`
	Level    Level         `json:"level"`
	Status   Status        `json:"status"`
	Message  string        `json:"message,omitempty"`
	Doc      string        `json:"doc,omitempty"`
	Duration time.Duration `json:"duration_ns"`
}

// Report is the outcome of a run.
type Report struct {
	Plugin string `json:"plugin"`
	// PluginType is "driver" or "device" as PluginInfo said; empty when the
	// plugin could not be launched.
	PluginType string `json:"plugin_type,omitempty"`
	// Transport is "plain" (Nomad's way) or "mtls" (AutoMTLS).
	Transport string    `json:"transport"`
	Started   time.Time `json:"started"`
	Results   []Result  `json:"results"`
	// Problems are run-level errors, e.g. expected failures naming unknown cases.
	Problems []string `json:"problems,omitempty"`
}

// Counts tallies results by status.
func (r *Report) Counts() map[Status]int {
	m := map[Status]int{}
	for _, x := range r.Results {
		m[x.Status]++
	}
	return m
}

// Failed reports whether the run fails: a Required case failed, an expected
// failure passed, or there was a run-level problem.
func (r *Report) Failed() bool {
	if len(r.Problems) > 0 {
		return true
	}
	for _, x := range r.Results {
		if x.Status == StatusXPass || (x.Status == StatusFail && x.Level == Required) {
			return true
		}
	}
	return false
}

// ExpectedFailures is a set of case IDs that are known to fail for one plugin.
type ExpectedFailures map[string]string

// ParseExpectedFailures reads one case ID per line; "#" starts a comment, which
// becomes the reason of the entry on the same line. Blank lines are ignored.
func ParseExpectedFailures(b []byte) (ExpectedFailures, error) {
	out := ExpectedFailures{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		reason := ""
		if i := strings.IndexByte(line, '#'); i >= 0 {
			reason = strings.TrimSpace(line[i+1:])
			line = line[:i]
		}
		id := strings.TrimSpace(line)
		if id == "" {
			continue
		}
		if !caseIDPattern.MatchString(id) {
			return nil, fmt.Errorf("expected failures line %d: expected a case ID like group/name, got %q", n, id)
		}
		if _, dup := out[id]; dup {
			return nil, fmt.Errorf("expected failures line %d: case %q listed twice", n, id)
		}
		out[id] = reason
	}
	return out, sc.Err()
}

var caseIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_./:-]*$`)

// Apply turns listed failures into xfail and listed passes into xpass, and
// reports listed IDs that name no known case. Skips stay skips.
func (e ExpectedFailures) Apply(r *Report, known []string) {
	knownSet := map[string]bool{}
	for _, id := range known {
		knownSet[id] = true
	}
	var unknown []string
	for id := range e {
		if !knownSet[id] {
			unknown = append(unknown, id)
		}
	}
	sort.Strings(unknown)
	for _, id := range unknown {
		r.Problems = append(r.Problems, fmt.Sprintf("expected failure %q names no known case", id))
	}
	for i := range r.Results {
		x := &r.Results[i]
		reason, listed := e[x.ID]
		if !listed {
			continue
		}
		switch x.Status {
		case StatusFail:
			x.Status = StatusXFail
			if reason != "" {
				x.Message = "expected failure (" + reason + "): " + x.Message
			}
		case StatusPass:
			x.Status = StatusXPass
			x.Message = "listed as an expected failure but passed: remove it from the list"
		}
	}
}
