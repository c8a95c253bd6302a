package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/yurt-sdk/yurt/go/inputlimit"
)

// DiagError is the error every parse of a yurt file returns: all of its
// diagnostics, one per line, each as file:line:col: summary; detail.
// errors.As(err, &hcl.Diagnostics{}) still finds the diagnostics.
type DiagError struct {
	Diags hcl.Diagnostics
}

func (e *DiagError) Error() string { return FormatDiags(e.Diags) }

// Unwrap returns the hcl.Diagnostics.
func (e *DiagError) Unwrap() error { return e.Diags }

// Diags wraps diagnostics as a *DiagError (nil when there is no error).
func Diags(d hcl.Diagnostics) error {
	if !d.HasErrors() {
		return nil
	}
	return &DiagError{Diags: d}
}

// Where renders a range as file:line:col.
func Where(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// FormatDiags renders every error and warning, one per line.
func FormatDiags(diags hcl.Diagnostics) string {
	var b strings.Builder
	for i, d := range diags {
		if i > 0 {
			b.WriteByte('\n')
		}
		if d.Subject != nil {
			b.WriteString(Where(*d.Subject))
			b.WriteString(": ")
		}
		if d.Severity == hcl.DiagWarning {
			b.WriteString("warning: ")
		}
		b.WriteString(d.Summary)
		if d.Detail != "" {
			b.WriteString("; ")
			b.WriteString(d.Detail)
		}
	}
	return b.String()
}

// CheckSource applies the size and nesting limits to untrusted HCL text
// before it is parsed; what names it in the size error ("task file").
func CheckSource(src []byte, filename, what string, maxBytes int) hcl.Diagnostics {
	pos := hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos}
	if err := inputlimit.CheckSize(what+" "+filename, int64(len(src)), int64(maxBytes)); err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "File too large", Detail: err.Error(), Subject: &pos}}
	}
	if err := inputlimit.CheckHCL(src, filename, inputlimit.MaxNesting); err != nil {
		return LimitDiag(err)
	}
	return nil
}

// LimitDiag turns an error of inputlimit.CheckHCL or CheckJSON into a
// diagnostic at the place the limit was passed.
func LimitDiag(err error) hcl.Diagnostics {
	pe, ok := err.(inputlimit.Positioned)
	if !ok {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Input refused", Detail: err.Error()}}
	}
	file, line, col := pe.Position()
	p := hcl.Pos{Line: line, Column: col}
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Subject: &hcl.Range{Filename: file, Start: p, End: p}}
	switch e := err.(type) {
	case *inputlimit.DepthError:
		d.Summary = "Nesting too deep"
		d.Detail = fmt.Sprintf("this file nests deeper than the limit of %d levels (every open bracket, brace, parenthesis, block, string template and operator of one expression counts one)", e.Limit)
	case *inputlimit.TokenError:
		d.Summary = "Too many tokens"
		d.Detail = fmt.Sprintf("this file has more than the limit of %d tokens (words, numbers, strings, operators and punctuation); split it or shorten its lists", e.Limit)
	}
	return hcl.Diagnostics{d}
}
