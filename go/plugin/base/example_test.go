package base_test

import (
	"fmt"

	"github.com/zclconf/go-cty/cty"

	"github.com/yurt-sdk/yurt/go/hclspec"
	"github.com/yurt-sdk/yurt/go/plugin/base"
)

// DecodeConfig turns the msgpack Nomad sends (SetConfig, a task's driver
// config) into a struct whose `cty` tags match the schema's attributes.
func ExampleDecodeConfig() {
	spec := hclspec.Object(hclspec.Attrs{
		"command": hclspec.Attr("command", "string", true),
		"args":    hclspec.Attr("args", "list(string)", false),
	})
	// What the host sends: the decoded config block as cty msgpack.
	msgpack, err := hclspec.EncodeMsgpack(cty.ObjectVal(map[string]cty.Value{
		"command": cty.StringVal("echo"),
		"args":    cty.ListVal([]cty.Value{cty.StringVal("hi")}),
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	var cfg struct {
		Command string   `cty:"command"`
		Args    []string `cty:"args"`
	}
	if err := base.DecodeConfig(msgpack, spec, &cfg); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Command, cfg.Args)
	// Output: echo [hi]
}

// Errors name the field and what was expected.
func ExampleDecodeConfig_wrongType() {
	spec := hclspec.Object(hclspec.Attrs{"port": hclspec.Attr("port", "number", true)})
	msgpack, _ := hclspec.EncodeMsgpack(cty.ObjectVal(map[string]cty.Value{"port": cty.NumberIntVal(-1)}))
	var cfg struct {
		Port uint16 `cty:"port"`
	}
	fmt.Println(base.DecodeConfig(msgpack, spec, &cfg))
	// Output: decoding config: config.port: value must be a whole number, between 0 and 65535 inclusive
}
