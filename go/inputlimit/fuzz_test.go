package inputlimit

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
)

// FuzzCheckHCL: whatever CheckHCL accepts, HCL's parser and evaluator get
// through without exhausting the stack (a crash the fuzzer reports); what
// it refuses carries a position inside the input.
func FuzzCheckHCL(f *testing.F) {
	for _, s := range []string{
		"task \"a\" {\n  driver = \"x\"\n  config { args = [\"${a}\", <<EOT\nx\nEOT\n] }\n}\n",
		"x = " + strings.Repeat("[", 60000) + strings.Repeat("]", 60000),
		"x = " + strings.Repeat("!", 60000) + "true",
		"x = 1" + strings.Repeat("+1", 60000),
		"x = \"" + strings.Repeat("%{if a}", 5000) + "\"",
		"x = <<EOT\n" + strings.Repeat("]", 5000) + "\nEOT\n" + strings.Repeat("[", 200),
		"x = 9223372036854775807999999999\ny = 1e999999\n",
		"# [[[\n/* {{{ */\nx = \"[[[\\\"\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		err := CheckHCL(src, "f.hcl", 0)
		if err != nil {
			pe, ok := err.(Positioned)
			if !ok {
				t.Fatalf("error of unknown type %T", err)
			}
			_, line, _ := pe.Position()
			if line < 1 || line > strings.Count(string(src), "\n")+1 {
				t.Fatalf("line %d outside the input", line)
			}
			return
		}
		file, _ := hclparse.NewParser().ParseHCL(src, "f.hcl")
		if file == nil {
			return
		}
		attrs, _ := file.Body.JustAttributes()
		for _, a := range attrs {
			_, _ = a.Expr.Value(nil)
		}
	})
}

// FuzzCheckJSON: what CheckJSON accepts decodes without trouble.
func FuzzCheckJSON(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"[["}]}`))
	f.Add([]byte(strings.Repeat("[", 60000)))
	f.Add([]byte(`{"signal": 1e999999}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		if CheckJSON(src, "f.json", 0) != nil {
			return
		}
		var v any
		_ = json.Unmarshal(src, &v)
	})
}
