// Package vectors computes yurt's cross-language test vectors from Go's own
// behaviour: hcl/v2's typeexpr and hcldec (through go/hclspec), go-cty's
// msgpack, go-plugin's client (handshake line and stderr log parsing, run
// for real against a scripted plugin) and the Go SDK's error mapping. Nomad
// is built on the same libraries, so Go is the reference; the Python and Rust
// SDK test suites read the files this package writes under spec/vectors/ and
// must agree with every vector they implement.
//
// Regenerate with `go run ./internal/vectors/gen` from go/ (or `make
// generate`); TestVectorsAreCurrent fails when the committed files differ.
package vectors

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// File is one category's file under spec/vectors/.
type File struct {
	Name    string
	Content map[string]any
}

const generatedBy = "go run ./internal/vectors/gen (in go/); do not edit"

// Files computes every vector file.
func Files() ([]File, error) {
	mspecs, mvecs, err := Msgpacks()
	if err != nil {
		return nil, err
	}
	errs, err := errorCases()
	if err != nil {
		return nil, err
	}
	return []File{
		{"typeexpr.json", map[string]any{
			"about": "HCL type expressions (hclspec Attr/BlockAttrs `type`): ok with the canonical type, or refused. " +
				"Every SDK's type parser must accept exactly the ok ones and return `type` for them; go_error is Go's wording, for reference.",
			"vectors": TypeExprs(),
		}},
		{"hclspec.json", map[string]any{
			"about": "hclspec schemas: whether Nomad's converter accepts them. An SDK skips vectors whose `needs` it does not implement " +
				"(hcl_expression: evaluating a literal's HCL expression, done by Go only).",
			"vectors": Specs(),
		}},
		{"msgpack.json", map[string]any{
			"about": "cty msgpack config (what Nomad sends in msgpack_config / msgpack_driver_config) decoded against a named spec: " +
				"the value as cty JSON, or an error naming `field` (steps: attribute or key strings, list indices). Each SDK declares " +
				"the named specs as its own types. needs: decimal_string_numbers (numbers sent as decimal text, which cty accepts), " +
				"strict_attributes (an object must have exactly the spec's attributes).",
			"specs":   mspecs,
			"vectors": mvecs,
		}},
		{"handshake.json", map[string]any{
			"about": "Lines a plugin prints on stdout and whether go-plugin's client, set up as Nomad's (app protocol 2, grpc only, " +
				"AutoMTLS as yurt's host), accepts them. needs: x509 (the outcome depends on parsing the certificate DER).",
			"vectors": HandshakeLines(),
		}},
		{"hclog.json", map[string]any{
			"about": "Plugin stderr and how go-plugin's host logs it. `lines`: a line and the host's reading (raw: logged verbatim). " +
				"`records`: a log call; each SDK formats it with its own logger and the host must read the SDK's line as `reading` " +
				"(ignoring @module, which is each SDK's own).",
			"lines":   HclogLines(),
			"records": HclogRecords(),
		}},
		{"errors.json", map[string]any{
			"about": "The error table: each error kind (same names in every SDK and in the proto comments), the gRPC code the " +
				"plugin's server sends, and the message: exactly `exact`, or containing every `contains` string. " +
				"recoverable: the structs.RecoverableError detail.",
			"vectors": errs,
		}},
	}, nil
}

// Encode writes a file's content as the committed JSON (sorted keys, two
// spaces, no HTML escaping, final newline).
func Encode(content map[string]any) ([]byte, error) {
	content["generated_by"] = generatedBy
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(content); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write writes every vector file into dir.
func Write(dir string) error {
	files, err := Files()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		b, err := Encode(f.Content)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
