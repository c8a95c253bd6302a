package hclspec

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
)

// seedSpecs cover every spec kind, valid and invalid; they are the seed
// corpus of FuzzConvert (also committed under testdata/fuzz/FuzzConvert).
func seedSpecs() []*Spec {
	return []*Spec{
		taskSpec(),
		{},
		Array(Literal("1"), LiteralString("x"), Attr("a", "any", false)),
		Block("b", true, Object(Attrs{"m": BlockMap("m", []string{"k"}, Attr("v", "map(number)", false))})),
		BlockSet("s", 1, 2, Default(Attr("a", "set(string)", false), Literal(`["x"]`))),
		Object(Attrs{"x": Attr("x", "tuple([string, number])", false), "y": BlockAttrs("y", "bool", true)}),
		BlockList("l", 3, 1, nil),
		Literal("var.x"),
		// Hostile: nesting past the limit and numbers past every int type.
		Attr("deep", strings.Repeat("list(", 5000)+"string"+strings.Repeat(")", 5000), false),
		Literal(strings.Repeat("[", 5000) + strings.Repeat("]", 5000)),
		Default(Attr("n", "number", false), Literal("1e999999")),
		Default(Attr("i", "number", false), Literal("9223372036854775808")),
	}
}

// TestWriteFuzzCorpus rewrites the committed seed corpus when
// HCLSPEC_WRITE_CORPUS=1; otherwise it checks that the corpus exists.
func TestWriteFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzConvert")
	if os.Getenv("HCLSPEC_WRITE_CORPUS") == "" {
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) < len(seedSpecs()) {
			t.Fatalf("seed corpus %s missing or short (%v); run with HCLSPEC_WRITE_CORPUS=1", dir, err)
		}
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, s := range seedSpecs() {
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(s.wire())
		if err != nil {
			t.Fatal(err)
		}
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%02d", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var fuzzBodies = [][]byte{
	[]byte("command = \"x\"\nargs = [\"a\"]\n"),
	[]byte("b {\n  m \"k\" {\n    v = {a = 1}\n  }\n}\ns {\n}\n"),
	[]byte("y {\n  a = true\n}\nl {\n}\n"),
	[]byte("command = " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n"),
	[]byte("command = \"x\"\nargs = [" + strings.Repeat("9", 400) + "]\n"),
	nil,
}

// FuzzConvert feeds arbitrary wire bytes through Convert and, when they
// convert, through decoding and msgpack encoding: nothing may panic, and a
// failed conversion must be an *Error or ErrNoSpec.
func FuzzConvert(f *testing.F) {
	for _, s := range seedSpecs() {
		b, err := s.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := Unmarshal(data)
		if err != nil {
			return
		}
		dec, err := Convert(spec)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Convert error is %T, want *Error: %v", err, err)
			}
			return
		}
		if dec == nil {
			t.Fatal("Convert returned nil spec and nil error")
		}
		if _, err := ImpliedType(spec); err != nil {
			t.Fatalf("ImpliedType failed after Convert succeeded: %v", err)
		}
		for _, body := range fuzzBodies {
			val, diags := DecodeHCL(body, "fuzz.hcl", spec, nil)
			if diags.HasErrors() {
				continue
			}
			if _, err := EncodeMsgpack(val); err != nil && val.IsWhollyKnown() {
				t.Fatalf("EncodeMsgpack of decoded value failed: %v", err)
			}
		}
	})
}
