package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yurt-sdk/yurt/conformance"
)

// TestListPrintsEveryCaseWithLevel: --list is how authors find case IDs for
// their expected-failures files, so every case must be there with its level.
func TestListPrintsEveryCaseWithLevel(t *testing.T) {
	var out, errb bytes.Buffer
	require.Equal(t, 0, run([]string{"--list"}, &out, &errb), errb.String())
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	listed := map[string][]string{}
	for _, l := range lines {
		f := strings.Fields(l)
		require.GreaterOrEqual(t, len(f), 4, "line %q: expected ID, level, kind and doc", l)
		listed[f[0]] = f
	}
	cases := conformance.AllCases()
	assert.Len(t, lines, len(cases), "one line per case")
	for _, c := range cases {
		f, ok := listed[c.ID]
		if !assert.True(t, ok, "--list does not show %s", c.ID) {
			continue
		}
		assert.Equal(t, string(c.Level), f[1], "level of %s", c.ID)
		assert.Equal(t, string(c.Kind), f[2], "kind of %s", c.ID)
	}

	out.Reset()
	require.Equal(t, 0, run([]string{"--list", "--run", "^driver/capabilities$"}, &out, &errb))
	assert.Equal(t, 1, strings.Count(out.String(), "\n"), "--run filters --list: %q", out.String())
}

// JUnit document as a CI system reads it, declared here independently of the
// writer so that a change to the writer's structs cannot hide a format change.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Time     string `xml:"time,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Time      string `xml:"time,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// parseJUnit checks that b is well-formed XML token by token, then decodes it.
func parseJUnit(t *testing.T, b []byte) junitDoc {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "JUnit XML is not well-formed:\n%s", b)
	}
	var doc junitDoc
	require.NoError(t, xml.Unmarshal(b, &doc))
	sum := func(f func(i int) int) int {
		n := 0
		for i := range doc.Suites {
			n += f(i)
		}
		return n
	}
	assert.Equal(t, doc.Tests, sum(func(i int) int { return len(doc.Suites[i].Cases) }), "testsuites tests= counts every testcase")
	assert.Equal(t, doc.Failures, sum(func(i int) int { return doc.Suites[i].Failures }), "testsuites failures= is the sum of the suites'")
	assert.Equal(t, doc.Skipped, sum(func(i int) int { return doc.Suites[i].Skipped }), "testsuites skipped= is the sum of the suites'")
	for _, s := range doc.Suites {
		nf, ns := 0, 0
		for _, c := range s.Cases {
			assert.True(t, strings.HasPrefix(c.Name, s.Name+"/"), "case %s in suite %s", c.Name, s.Name)
			if c.Failure != nil {
				nf++
			}
			if c.Skipped != nil {
				ns++
			}
		}
		assert.Equal(t, s.Tests, len(s.Cases), "suite %s tests=", s.Name)
		assert.Equal(t, s.Failures, nf, "suite %s failures=", s.Name)
		assert.Equal(t, s.Skipped, ns, "suite %s skipped=", s.Name)
	}
	return doc
}

// TestJUnitSurvivesHostileText: plugin error text ends up in the report, and
// it may hold control bytes or markup that would break a naive writer.
func TestJUnitSurvivesHostileText(t *testing.T) {
	hostile := "nul\x00 esc\x1b[31m <tag attr=\"q\"> & ]]> \xff\xfe end"
	r := &conformance.Report{Plugin: "p<&>", Results: []conformance.Result{
		{ID: "base/a", Level: conformance.Required, Status: conformance.StatusFail, Message: hostile},
		{ID: "base/b", Level: conformance.Recommended, Status: conformance.StatusPass, Message: hostile},
		{ID: "driver/c", Level: conformance.Required, Status: conformance.StatusSkip, Message: hostile},
	}}
	var b bytes.Buffer
	require.NoError(t, conformance.WriteJUnit(&b, r))
	doc := parseJUnit(t, b.Bytes())
	assert.Equal(t, 3, doc.Tests)
	assert.Equal(t, 1, doc.Failures)
	require.Len(t, doc.Suites, 2)
	require.NotNil(t, doc.Suites[0].Cases[0].Failure)
	assert.Contains(t, doc.Suites[0].Cases[0].Failure.Text, "<tag attr=\"q\"> & ]]>")
}

// TestJUnitFromARealRun runs the command against the self-test plugin with
// one expected failure, one real failure and skips, and parses the files it
// writes: the JUnit counts must agree with the JSON report and the exit code.
func TestJUnitFromARealRun(t *testing.T) {
	dir := t.TempDir()
	plugin := filepath.Join(dir, "fakeplugin")
	out, err := exec.Command("go", "build", "-C", "../../../go", "-o", plugin, "./internal/fakeplugin").CombinedOutput()
	require.NoError(t, err, "%s", out)
	xfail := filepath.Join(dir, "xfail.txt")
	require.NoError(t, os.WriteFile(xfail, []byte("base/config-schema # the bad-schema fault\n"), 0o600))
	jsonPath, junitPath := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml")
	var stdout, stderr bytes.Buffer
	code := run([]string{"--plugin", plugin, "--args", "-fault=bad-schema,setconfig-once driver",
		"--config", "../../testdata/fake-config.hcl", "--scenarios", "../../../examples/conformance/process-driver.scenarios.hcl",
		"--run", `^(base/(plugin-info|config-schema|set-config-twice)|device/fingerprint)$`,
		"--expected-failures", xfail, "--json", jsonPath, "--junit", junitPath, "--case-timeout", (20 * time.Second).String()},
		&stdout, &stderr)
	assert.Equal(t, 1, code, "a Required failure fails the run\n%s\n%s", stdout.String(), stderr.String())

	var rep struct {
		PluginType string `json:"plugin_type"`
		Results    []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"results"`
	}
	jb, err := os.ReadFile(jsonPath)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(jb, &rep))
	assert.Equal(t, "driver", rep.PluginType)
	status := map[string]string{}
	for _, x := range rep.Results {
		status[x.ID] = x.Status
	}
	assert.Equal(t, map[string]string{"base/plugin-info": "pass", "base/config-schema": "xfail",
		"base/set-config-twice": "fail", "device/fingerprint": "skip"}, status)

	xb, err := os.ReadFile(junitPath)
	require.NoError(t, err)
	doc := parseJUnit(t, xb)
	assert.Equal(t, len(rep.Results), doc.Tests)
	assert.Equal(t, 1, doc.Failures, "only the Required failure is a JUnit failure")
	assert.Equal(t, 2, doc.Skipped, "the expected failure and the skip are JUnit skips")
	failures := map[string]bool{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				failures[c.Name] = true
				assert.NotEmpty(t, c.Failure.Message, c.Name)
			}
		}
	}
	assert.Equal(t, map[string]bool{"base/set-config-twice": true}, failures)
}

// TestEnvFlagRejectsMalformedEntries: --env takes KEY=VALUE; anything else is
// a usage error naming the flag's expected form and what was given.
func TestEnvFlagRejectsMalformedEntries(t *testing.T) {
	for _, bad := range []string{"NOEQUALS", "=value", "TWO WORDS=x"} {
		var out, errb bytes.Buffer
		assert.Equal(t, 2, run([]string{"--env", bad, "--plugin", "/bin/true"}, &out, &errb), bad)
		assert.Contains(t, errb.String(), "expected KEY=VALUE", bad)
		assert.Contains(t, errb.String(), bad, "the error names what was given")
	}
	var e envFlag
	require.NoError(t, e.Set("A=b=c"))
	require.NoError(t, e.Set("EMPTY="))
	assert.Equal(t, envFlag{"A=b=c", "EMPTY="}, e)
}
