package base

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yurt-sdk/yurt/go/hclspec"
)

type portCfg struct {
	Label string `cty:"label"`
	To    int    `cty:"to"`
}

type taskCfg struct {
	Command string            `cty:"command"`
	Args    []string          `cty:"args"`
	Env     map[string]string `cty:"env"`
	Port    []portCfg         `cty:"port"`
	Nice    *int              `cty:"nice"`
}

func taskSpec() *hclspec.Spec {
	return hclspec.Object(hclspec.Attrs{
		"command": hclspec.Attr("command", "string", true),
		"args":    hclspec.Default(hclspec.Attr("args", "list(string)", false), hclspec.Literal("[]")),
		"env":     hclspec.BlockAttrs("env", "string", false),
		"port":    hclspec.BlockList("port", 0, 0, hclspec.Object(hclspec.Attrs{"label": hclspec.Attr("label", "string", true), "to": hclspec.Attr("to", "number", false)})),
		"nice":    hclspec.Attr("nice", "number", false),
	})
}

func encode(t *testing.T, src string, spec *hclspec.Spec) []byte {
	t.Helper()
	val, diags := hclspec.DecodeHCL([]byte(src), "t.hcl", spec, nil)
	require.False(t, diags.HasErrors(), diags.Error())
	b, err := hclspec.EncodeMsgpack(val)
	require.NoError(t, err)
	return b
}

func TestDecodeConfig(t *testing.T) {
	b := encode(t, "command = \"/bin/sh\"\nargs = [\"-c\", \"exit 3\"]\nenv {\n  A = \"1\"\n}\nport {\n  label = \"http\"\n  to = 80\n}\n", taskSpec())
	var cfg taskCfg
	require.NoError(t, DecodeConfig(b, taskSpec(), &cfg))
	assert.Equal(t, taskCfg{Command: "/bin/sh", Args: []string{"-c", "exit 3"}, Env: map[string]string{"A": "1"},
		Port: []portCfg{{Label: "http", To: 80}}}, cfg)
}

func TestDecodeConfigErrors(t *testing.T) {
	good := encode(t, "command = \"x\"\nport {\n  label = \"a\"\n  to = 1.5\n}\n", taskSpec())
	tests := []struct {
		name string
		b    []byte
		spec *hclspec.Spec
		out  any
		want string
	}{
		{"empty bytes", nil, taskSpec(), &taskCfg{}, "no msgpack config given"},
		{"nil spec", good, nil, &taskCfg{}, "no spec"},
		{"garbage", []byte{0xc1}, taskSpec(), &taskCfg{}, "msgpack does not match the schema"},
		{"fraction into int names path", good, taskSpec(), &taskCfg{}, "config.port[0].to"},
		{"struct lacks field", good, taskSpec(), &struct {
			Command string `cty:"command"`
		}{}, "has no field tagged"},
		{"not a pointer", good, taskSpec(), taskCfg{}, "target must be a non-nil pointer"},
		{"nil pointer", good, taskSpec(), (*taskCfg)(nil), "target must be a non-nil pointer"},
		{"unsupported field type", good, taskSpec(), &struct {
			Command chan int `cty:"command"`
		}{}, "decoding config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := DecodeConfig(tt.b, tt.spec, tt.out)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			t.Log(err)
		})
	}
}
