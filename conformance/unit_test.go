package conformance

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleReport() *Report {
	return &Report{Plugin: "p", Results: []Result{
		{ID: "a/pass", Level: Required, Status: StatusPass},
		{ID: "a/fail-req", Level: Required, Status: StatusFail, Message: "boom <&>"},
		{ID: "b/fail-rec", Level: Recommended, Status: StatusFail, Message: "meh"},
		{ID: "b/skip", Level: Required, Status: StatusSkip, Message: "n/a"},
	}}
}

func TestExpectedFailuresApply(t *testing.T) {
	x, err := ParseExpectedFailures([]byte("# comment\na/fail-req # known bug\n\na/pass\nz/unknown\n"))
	require.NoError(t, err)
	r := sampleReport()
	x.Apply(r, []string{"a/pass", "a/fail-req", "b/fail-rec", "b/skip"})
	st := map[string]Status{}
	for _, res := range r.Results {
		st[res.ID] = res.Status
	}
	assert.Equal(t, StatusXFail, st["a/fail-req"])
	assert.Equal(t, StatusXPass, st["a/pass"], "a listed case that passes is stale")
	assert.Equal(t, StatusFail, st["b/fail-rec"])
	assert.Equal(t, StatusSkip, st["b/skip"])
	assert.Equal(t, []string{`expected failure "z/unknown" names no known case`}, r.Problems)
	assert.True(t, r.Failed())
}

func TestFailedRules(t *testing.T) {
	r := &Report{Results: []Result{{ID: "a/x", Level: Recommended, Status: StatusFail}, {ID: "a/y", Level: Required, Status: StatusXFail}}}
	assert.False(t, r.Failed(), "recommended failures and xfails do not fail the run")
	r.Results = append(r.Results, Result{ID: "a/z", Level: Required, Status: StatusFail})
	assert.True(t, r.Failed())
}

func TestParseExpectedFailuresErrors(t *testing.T) {
	_, err := ParseExpectedFailures([]byte("not an id\n"))
	require.ErrorContains(t, err, "line 1")
	_, err = ParseExpectedFailures([]byte("a/b\na/b\n"))
	require.ErrorContains(t, err, "listed twice")
}

func TestWriters(t *testing.T) {
	r := sampleReport()
	var tbl bytes.Buffer
	require.NoError(t, WriteTable(&tbl, r))
	assert.Contains(t, tbl.String(), "FAIL    required     a/fail-req")
	assert.Contains(t, tbl.String(), "4 cases: 1 passed, 2 failed, 1 skipped")
	assert.True(t, strings.HasSuffix(tbl.String(), "FAIL p\n"))

	var js bytes.Buffer
	require.NoError(t, WriteJSON(&js, r))
	var decoded struct {
		Failed  bool           `json:"failed"`
		Counts  map[string]int `json:"counts"`
		Results []Result       `json:"results"`
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &decoded))
	assert.True(t, decoded.Failed)
	assert.Equal(t, 2, decoded.Counts["fail"])
	assert.Len(t, decoded.Results, 4)

	var ju bytes.Buffer
	require.NoError(t, WriteJUnit(&ju, r))
	var suites junitSuites
	require.NoError(t, xml.Unmarshal(ju.Bytes(), &suites))
	assert.Equal(t, 4, suites.Tests)
	assert.Equal(t, 1, suites.Failures, "only the required failure is a JUnit failure")
	assert.Equal(t, 2, suites.Skipped)
	require.Len(t, suites.Suites, 2)
	assert.Equal(t, "boom <&>", suites.Suites[0].Cases[1].Failure.Text)
}

func TestParseScenarios(t *testing.T) {
	s, err := ParseScenarios([]byte(`
task "exit_code" {
  exit_code = 2
  config { command = "x" }
}
exec { command = ["true"] }
`), "s.hcl")
	require.NoError(t, err)
	assert.Equal(t, 2, *s.Tasks[RoleExitCode].ExitCode)
	for _, tc := range []struct{ src, err string }{
		{"task \"bogus\" {\nconfig {}\n}", `s.hcl:1,1-13: task "bogus": expected a role`},
		{"task \"exit_code\" {\nconfig {}\n}", "attribute exit_code is required"},
		{`task "long_running" {}`, "expected a config block"},
		{"task \"long_running\" {\nconfig {}\n}\ntask \"long_running\" {\nconfig {}\n}", "defined twice"},
		{`exec { command = [] }`, "exec.command"},
		{`nonsense = 1`, "Unsupported argument"},
		{"task \"exit_code\" {\n  exit_code = " + strings.Repeat("(", 60000) + "2" + strings.Repeat(")", 60000) + "\n}\n", "s.hcl:2:"},
		{"task \"exit_code\" {\n  exit_code = " + strings.Repeat("[", 200) + "\n}\n", "nesting deeper than the limit of 100"},
	} {
		_, err := ParseScenarios([]byte(tc.src), "s.hcl")
		assert.ErrorContains(t, err, tc.err, tc.src)
	}
}

func TestParseHandshake(t *testing.T) {
	_, err := ParseHandshake("1|2|unix|/tmp/x.sock|grpc|")
	require.NoError(t, err)
	_, err = ParseHandshake("1|2|tcp|127.0.0.1:1234|grpc|")
	require.NoError(t, err)
	for line, want := range map[string]string{
		"1|2|unix|/tmp/x|grpc":       "expected 6",
		"1|2|unix|/tmp/x|grpc||true": "expected 6",
		"2|2|unix|/tmp/x|grpc|":      "field 1",
		"1|x|unix|/tmp/x|grpc|":      "field 2",
		"1|2|udp|/tmp/x|grpc|":       "field 3",
		"1|2|unix|rel.sock|grpc|":    "absolute socket path",
		"1|2|tcp|127.0.0.1|grpc|":    "host:port",
		"1|2|unix|/tmp/x|netrpc|":    "field 5",
	} {
		_, err := ParseHandshake(line)
		assert.ErrorContains(t, err, want, line)
	}
	_, err = ServerCert("AAA=")
	assert.ErrorContains(t, err, "unpadded")
}

func FuzzParseHandshake(f *testing.F) {
	f.Add("1|2|unix|/tmp/x.sock|grpc|")
	f.Add("1|2|tcp|127.0.0.1:1|grpc|abc")
	f.Fuzz(func(t *testing.T, line string) {
		fields, err := ParseHandshake(line)
		if err == nil && len(fields) != 6 {
			t.Fatalf("accepted %q with %d fields", line, len(fields))
		}
	})
}

// TestCrashesGoPlugin: exactly the lines go-plugin's parseJSON panics on (a
// present @message/@level/@timestamp that is not a string) are flagged.
func TestCrashesGoPlugin(t *testing.T) {
	for line, bad := range map[string]bool{
		`{"@level":"info","@message":"hi","@timestamp":"2026-12-03T09:21:08.082826Z"}`: false,
		`{"@level":"info","@message":"hi"}`:                                            false,
		`not json at all`:                                                              false,
		`[1,2,3]`:                                                                      false,
		`{"@message":12}`:                                                              true,
		`{"@level":"info","@message":"x","@timestamp":1733216468}`:                     true,
		`{"@level":null,"@message":"x"}`:                                               true,
		`{"@message":{"nested":true}}`:                                                 true,
	} {
		why := crashesGoPlugin(line)
		assert.Equal(t, bad, why != "", "%s: %q", line, why)
	}
}

func TestScenarioRolesNeedTheirAttributes(t *testing.T) {
	_, err := ParseScenarios([]byte("task \"exit_on_request\" {\n  exit_code = 0\n  config {}\n}\n"), "s.hcl")
	require.ErrorContains(t, err, "expected a non-zero exit code")
	_, err = ParseScenarios([]byte("task \"exit_on_request\" {\n  config {}\n}\n"), "s.hcl")
	require.ErrorContains(t, err, "exit_code is required")
	_, err = ParseScenarios([]byte("task \"nope\" {\n  config {}\n}\n"), "s.hcl")
	require.ErrorContains(t, err, "background, busy, exit_code, exit_on_request")
	s, err := ParseScenarios([]byte("task \"busy\" {\n  config {}\n}\nexec {\n  command = [\"true\"]\n  stdin_command = [\"cat\", \"-\"]\n}\n"), "s.hcl")
	require.NoError(t, err)
	assert.Equal(t, []string{"cat", "-"}, s.Exec.StdinCommand)
}

// TestFindMarked finds a child process by an environment entry and sees it go.
func TestFindMarked(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	cmd.Env = append(os.Environ(), "YURT_CONFORMANCE_TEST_MARK=find-me")
	require.NoError(t, cmd.Start())
	ps := findMarked("YURT_CONFORMANCE_TEST_MARK", "find-me")
	require.Len(t, ps, 1)
	assert.Equal(t, cmd.Process.Pid, ps[0].Pid)
	assert.Contains(t, ps[0].Cmdline, "sleep 30")
	assert.Empty(t, findMarked("YURT_CONFORMANCE_TEST_MARK", "find"), "the value must match exactly")
	killAll(ps)
	_ = cmd.Wait()
	assert.Empty(t, findMarked("YURT_CONFORMANCE_TEST_MARK", "find-me"))
}
