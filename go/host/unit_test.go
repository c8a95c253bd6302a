package host

import (
	"testing"

	hclog "github.com/hashicorp/go-hclog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/zclconf/go-cty/cty"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"
)

func TestSelectAPIVersion(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  PluginType
		in   []string
		want string
		err  string
	}{
		{"exact", PluginTypeDriver, []string{"v0.1.0"}, "v0.1.0", ""},
		{"no v keeps spelling", PluginTypeDevice, []string{"0.1.0"}, "0.1.0", ""},
		{"short form", PluginTypeDriver, []string{"v0.1"}, "v0.1", ""},
		{"metadata ignored", PluginTypeDriver, []string{"v0.1.0+x"}, "v0.1.0+x", ""},
		{"several", PluginTypeDriver, []string{"v0.2.0", "v0.1.0"}, "v0.1.0", ""},
		{"prerelease differs", PluginTypeDriver, []string{"v0.1.0-beta"}, "", "expected one of"},
		{"empty", PluginTypeDriver, nil, "", "expected at least one version"},
		{"unknown type", PluginType("base"), []string{"v0.1.0"}, "", "expected driver or device"},
		{"garbage", PluginTypeDriver, []string{"one"}, "", "plugin_api_versions[0]"},
		{"none match", PluginTypeDriver, []string{"v1.0.0"}, "", "expected one of [v0.1.0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SelectAPIVersion(tc.typ, tc.in)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestParseVersion(t *testing.T) {
	for _, ok := range []string{"1", "1.2", "1.2.3", "v1.2.3", "1.2.3-beta.1", "1.2.3+meta", "1.2.3.4"} {
		_, err := ParseVersion(ok)
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{"", "v", "1..2", "a.b", "1.2.3-", "1.2+", "-1.2", "1.-2"} {
		_, err := ParseVersion(bad)
		assert.Error(t, err, bad)
	}
	a, _ := ParseVersion("1.2.0-rc1")
	b, _ := ParseVersion("1.2")
	assert.True(t, a.Less(b))
	assert.False(t, b.Less(a))
}

func TestParseLogLine(t *testing.T) {
	for _, tc := range []struct {
		line    string
		json    bool
		level   hclog.Level
		problem string
	}{
		{`{"@level":"info","@message":"hi","@timestamp":"2024-01-02T03:04:05.000000Z","k":1}`, true, hclog.Info, ""},
		{`{"@level":"WARN","@message":"hi","@timestamp":"2024-01-02T03:04:05.123456+01:00"}`, true, hclog.Warn, ""},
		{`{"@level":"info","@message":123,"@timestamp":"2024-01-02T03:04:05.000000Z"}`, false, hclog.Debug, "@message is not a string"},
		{`{"@level":"info","@message":"x","@timestamp":12}`, false, hclog.Debug, "@timestamp is not a string"},
		{`{"@level":"info","@message":"x","@timestamp":"2024-01-02T03:04:05.000Z"}`, false, hclog.Debug, "hclog's layout"},
		{`{"@level":"warning","@message":"x","@timestamp":"2024-01-02T03:04:05.000000Z"}`, false, hclog.Debug, "@level warning"},
		{`{"@message":"x"}`, false, hclog.Debug, "@level is missing"},
		{`{not json`, false, hclog.Debug, "not a JSON object"},
		{`[ERROR] boom`, false, hclog.Error, ""},
		{`plain`, false, hclog.Debug, ""},
	} {
		l := ParseLogLine(tc.line)
		assert.Equal(t, tc.json, l.JSON, tc.line)
		assert.Equal(t, tc.level, l.Level, tc.line)
		if tc.problem == "" {
			assert.Empty(t, l.Problem, tc.line)
		} else {
			assert.Contains(t, l.Problem, tc.problem, tc.line)
		}
	}
}

func FuzzParseLogLine(f *testing.F) {
	f.Add(`{"@level":"info","@message":"hi","@timestamp":"2024-01-02T03:04:05.000000Z"}`)
	f.Add(`{"@level":[],"@message":{},"@timestamp":null}`)
	f.Add(`[INFO] x`)
	f.Fuzz(func(t *testing.T, line string) {
		l := ParseLogLine(line)
		if l.JSON && l.Problem != "" {
			t.Fatalf("JSON line with a problem: %+v", l)
		}
	})
}

func TestLogWriterSplitsLines(t *testing.T) {
	var got []LogLine
	w := &pluginLogWriter{observer: func(l LogLine) { got = append(got, l) }}
	_, _ = w.Write([]byte(`{"@level":"info","@message":"a",`))
	_, _ = w.Write([]byte(`"@timestamp":"2024-01-02T03:04:05.000000Z"}`))
	_, _ = w.Write([]byte("\nsecond\r\n\n"))
	require.Len(t, got, 2)
	assert.True(t, got[0].JSON)
	assert.Equal(t, "second", got[1].Raw)
}

func TestUnmarshalRecordErrors(t *testing.T) {
	for _, tc := range []struct{ in, err string }{
		{`[]`, "expected a JSON object"},
		{`{"protocol":"netrpc","pid":1,"network":"unix","address":"/x"}`, `field protocol: expected "grpc", got "netrpc"`},
		{`{"protocol":"grpc","pid":0,"network":"unix","address":"/x"}`, "field pid"},
		{`{"protocol":"grpc","pid":1,"network":"udp","address":"/x"}`, "field network"},
		{`{"protocol":"grpc","pid":1,"network":"tcp","address":"nope"}`, "field address"},
		{`{"protocol":"grpc","pid":1,"network":"unix","address":"/x","tls":{"client_cert_pem":"x"}}`, "tls.client_cert_pem"},
	} {
		_, err := UnmarshalRecord([]byte(tc.in))
		assert.ErrorContains(t, err, tc.err, tc.in)
	}
}

func TestParseConfigHCL(t *testing.T) {
	spec := hclspec.Object(hclspec.Attrs{"greeting": hclspec.Attr("greeting", "string", true)})
	b, err := ConfigMsgpack(spec, []byte(`greeting = "hi"`), "plugin.hcl")
	require.NoError(t, err)
	v, err := ctymsgpack.Unmarshal(b, cty.Object(map[string]cty.Type{"greeting": cty.String}))
	require.NoError(t, err)
	assert.Equal(t, "hi", v.GetAttr("greeting").AsString())
	_, err = ParseConfigHCL(spec, []byte(`greeting = 1`+"\n"+`bogus = 2`), "plugin.hcl")
	require.ErrorContains(t, err, "plugin.hcl:2")
	_, err = ParseConfigHCL(spec, []byte(``), "plugin.hcl")
	require.ErrorContains(t, err, "greeting")
}
