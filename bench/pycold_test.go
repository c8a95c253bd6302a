package bench

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestFirstLineTimesARealProcess(t *testing.T) {
	dir := t.TempDir()
	// Prints, then would run for a minute: firstLine must return at the line
	// and kill it, not wait for its end.
	start := time.Now()
	wall, onCPU, err := firstLine(context.Background(), coldCmd{name: "sh", argv: []string{"/bin/sh", "-c", "echo ready; exec sleep 60"}}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if wall <= 0 || wall > time.Since(start) {
		t.Fatalf("wall time %v outside (0, %v]", wall, time.Since(start))
	}
	if time.Since(start) > 30*time.Second {
		t.Fatalf("firstLine waited for the process to end")
	}
	if onCPU < 0 {
		t.Fatalf("negative on-CPU time %v", onCPU)
	}
	// A process that ends without a line is an error that says so.
	if _, _, err := firstLine(context.Background(), coldCmd{name: "true", argv: []string{"/bin/true"}}, dir); err == nil || !strings.Contains(err.Error(), "no line on stdout") {
		t.Fatalf("want a no-line error, got %v", err)
	}
}

func TestPyColdMarkdownNamesTheFirstOptionPastTheLimit(t *testing.T) {
	p := &PyColdResult{Reference: "go-sdk/go-exec", RefP50MS: 10, RefCPUMS: 9, LimitFactor: 12, Options: []PyColdOption{
		{Name: "python", N: 3, MinMS: 15, P50MS: 18, CPUMS: 15, XGo: 1.8},
		{Name: "import asyncio", N: 3, MinMS: 90, P50MS: 110, CPUMS: 95, XGo: 11},
		{Name: "import grpc", N: 3, MinMS: 120, P50MS: 130, CPUMS: 120, XGo: 13},
		{Name: "python-floor", N: 3, MinMS: 150, P50MS: 160, CPUMS: 150, XGo: 16},
		{Name: "broken", Err: "no line on stdout: EOF"},
	}}
	md := PyColdMarkdown(p)
	for _, want := range []string{"12x Go is 120 ms", "| import asyncio |", "| 11.00x | yes |", "| 13.00x | no |", "The first option past 12x Go is **import grpc**", "not measured: no line on stdout"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if PyColdMarkdown(nil) != "" {
		t.Error("no measurement must render nothing")
	}
	r := &Results{PythonCold: &PyColdResult{Reference: "x", LimitFactor: 12, Options: []PyColdOption{{Name: "y", N: 2, MinMS: 5, P50MS: 4}}}}
	if err := r.Validate(); err == nil || !strings.Contains(err.Error(), "python_cold.options[0]") {
		t.Fatalf("min above p50 must fail validation, got %v", err)
	}
}
