package conformance

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteTable writes the human-readable report.
func WriteTable(w io.Writer, r *Report) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "STATUS\tLEVEL\tCASE\tTIME\tDETAIL\n")
	for _, x := range r.Results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", strings.ToUpper(string(x.Status)), x.Level, x.ID,
			x.Duration.Round(time.Millisecond), oneLine(x.Message, 160))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	c := r.Counts()
	fmt.Fprintf(w, "\n%d cases: %d passed, %d failed, %d skipped, %d expected failures, %d unexpected passes\n",
		len(r.Results), c[StatusPass], c[StatusFail], c[StatusSkip], c[StatusXFail], c[StatusXPass])
	for _, p := range r.Problems {
		fmt.Fprintf(w, "problem: %s\n", p)
	}
	verdict := "PASS"
	if r.Failed() {
		verdict = "FAIL"
	}
	_, err := fmt.Fprintf(w, "%s %s\n", verdict, r.Plugin)
	return err
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		s = s[:max-3] + "..."
	}
	return s
}

// WriteJSON writes the report as JSON.
func WriteJSON(w io.Writer, r *Report) error {
	type out struct {
		*Report
		Counts map[Status]int `json:"counts"`
		Failed bool           `json:"failed"`
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out{Report: r, Counts: r.Counts(), Failed: r.Failed()})
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML, one testsuite per case group. A
// failure counts as a JUnit failure only when it fails the run (Required
// failures and unexpected passes); Recommended failures and expected failures
// are reported as skipped with the reason, so CI dashboards match the exit code.
func WriteJUnit(w io.Writer, r *Report) error {
	root := junitSuites{Name: "yurt-conformance " + r.Plugin}
	index := map[string]int{}
	for _, x := range r.Results {
		group := x.ID
		if i := strings.IndexByte(group, '/'); i >= 0 {
			group = group[:i]
		}
		si, ok := index[group]
		if !ok {
			si = len(root.Suites)
			index[group] = si
			root.Suites = append(root.Suites, junitSuite{Name: group})
		}
		s := &root.Suites[si]
		jc := junitCase{Name: x.ID, Classname: "conformance." + group, Time: fmt.Sprintf("%.3f", x.Duration.Seconds())}
		switch {
		case x.Status == StatusXPass || (x.Status == StatusFail && x.Level == Required):
			jc.Failure = &junitMessage{Message: oneLine(x.Message, 200), Type: string(x.Status), Text: x.Message}
			s.Failures++
			root.Failures++
		case x.Status == StatusFail:
			jc.Skipped = &junitMessage{Message: "recommended case failed: " + oneLine(x.Message, 200)}
			s.Skipped++
			root.Skipped++
		case x.Status == StatusSkip || x.Status == StatusXFail:
			jc.Skipped = &junitMessage{Message: oneLine(x.Message, 200)}
			s.Skipped++
			root.Skipped++
		default:
			jc.SystemOut = x.Message
		}
		s.Tests++
		root.Tests++
		s.Cases = append(s.Cases, jc)
	}
	for i := range root.Suites {
		var d time.Duration
		for _, x := range r.Results {
			if strings.HasPrefix(x.ID, root.Suites[i].Name+"/") {
				d += x.Duration
			}
		}
		root.Suites[i].Time = fmt.Sprintf("%.3f", d.Seconds())
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
