package hclspec_test

import (
	"fmt"

	"github.com/yurt-sdk/yurt/go/hclspec"
)

// A driver's task config schema: `config { command = "..." args = [...] }`,
// decoded from HCL exactly as Nomad decodes a job's config block.
func ExampleObject() {
	spec := hclspec.Object(hclspec.Attrs{
		"command": hclspec.Attr("command", "string", true),
		"args":    hclspec.Default(hclspec.Attr("args", "list(string)", false), hclspec.Literal("[]")),
		"timeout": hclspec.Default(hclspec.Attr("timeout", "string", false), hclspec.LiteralString("5s")),
	})
	val, diags := hclspec.DecodeHCL([]byte(`
command = "echo"
args    = ["hello", "world"]
`), "task.hcl", spec, nil)
	if diags.HasErrors() {
		fmt.Println(diags.Error())
		return
	}
	fmt.Println(val.GetAttr("command").AsString())
	for _, a := range val.GetAttr("args").AsValueSlice() {
		fmt.Println(a.AsString())
	}
	fmt.Println(val.GetAttr("timeout").AsString())
	// Output:
	// echo
	// hello
	// world
	// 5s
}

// A missing required attribute is reported the way Nomad reports it when it
// validates a job.
func ExampleDecodeHCL_missingRequired() {
	spec := hclspec.Object(hclspec.Attrs{"command": hclspec.Attr("command", "string", true)})
	_, diags := hclspec.DecodeHCL([]byte(`args = []`), "task.hcl", spec, nil)
	for _, d := range diags {
		fmt.Println(d.Summary)
	}
	// Unordered output:
	// Missing required argument
	// Unsupported argument
}

// Convert checks a schema before anything is decoded with it; errors name
// the offending spec.
func ExampleConvert() {
	_, err := hclspec.Convert(hclspec.Object(hclspec.Attrs{
		"port": hclspec.Attr("port", "integer", true),
	}))
	fmt.Println(err)
	// Output:
	// hclspec: spec.object["port"].Attr.type: type "integer" is not an HCL type expression: Invalid type specification: The keyword "integer" is not a valid type specification.
}
