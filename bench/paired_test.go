package bench

import (
	"math"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{{[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}, {[]float64{1, 1, 9, 9, 100}, 9}} {
		if got := median(c.xs); !near(got, c.want) {
			t.Errorf("median(%v) = %v, want %v", c.xs, got, c.want)
		}
	}
}

func TestBinomCDFHalf(t *testing.T) {
	// Exact values: P(B <= 9), n = 30, is 0.021387...; P(B <= 5), n = 20, is 0.020695...
	for _, c := range []struct {
		n, m int
		want float64
	}{{30, 9, 0.0213869}, {30, 10, 0.0493685}, {20, 5, 0.0206947}, {6, 0, 1.0 / 64}, {4, 4, 1}, {4, -1, 0}} {
		if got := binomCDFHalf(c.n, c.m); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("P(B(%d) <= %d) = %v, want %v", c.n, c.m, got, c.want)
		}
	}
}

// seq returns 1..n in a scrambled order.
func seq(n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64((i*7)%n + 1)
	}
	return xs
}

func TestMedianCI(t *testing.T) {
	for _, c := range []struct {
		n               int
		med, lo, hi     float64
		coverageAtLeast float64
	}{
		{30, 15.5, 10, 21, 0.95}, // ranks 10 and 21 of 30
		{20, 10.5, 6, 15, 0.95},  // ranks 6 and 15 of 20
		{6, 3.5, 1, 6, 0.96},     // the smallest n with a 95% interval: the range, 1 - 2/64
		{3, 2, 1, 3, 0.75},       // too few: the range, coverage 1 - 2/8
	} {
		xs := seq(c.n)
		med, lo, hi, cov := medianCI(xs, 0.95)
		if !near(med, c.med) || lo != c.lo || hi != c.hi {
			t.Errorf("n=%d: median %v [%v, %v], want %v [%v, %v]", c.n, med, lo, hi, c.med, c.lo, c.hi)
		}
		if cov < c.coverageAtLeast-1e-9 || cov > 1 {
			t.Errorf("n=%d: coverage %v, want >= %v", c.n, cov, c.coverageAtLeast)
		}
	}
}

func TestPairedRatio(t *testing.T) {
	// The floor is slowed by a load that changes from round to round; the
	// subject takes 1.05x of the floor in every round. A ratio of the two
	// p50s would be off; the paired median is exact.
	var s, f []float64
	for i := 0; i < 30; i++ {
		load := 1.0 + float64(i%5)*float64(i%3)
		f = append(f, 10*load)
		s = append(s, 10.5*load)
	}
	s = append(s, 1000) // a round the floor did not run is not paired
	pr, ok := pairedRatio(s, f)
	if !ok || pr.N != 30 || !near(pr.Median, 1.05) || !near(pr.Lo, 1.05) || !near(pr.Hi, 1.05) || pr.Level < 0.95 {
		t.Fatalf("pairedRatio = %+v, %v; want 30 pairs, 1.05 [1.05, 1.05]", pr, ok)
	}
	if _, ok := pairedRatio([]float64{1}, []float64{0}); ok {
		t.Error("a zero floor figure made a pair")
	}
}

func TestRoundOrderIsAPermutation(t *testing.T) {
	firsts := map[int]bool{}
	for round := 0; round < 20; round++ {
		o := roundOrder(5, round)
		seen := map[int]bool{}
		for _, j := range o {
			if j < 0 || j >= 5 || seen[j] {
				t.Fatalf("round %d: %v is not a permutation of 0..4", round, o)
			}
			seen[j] = true
		}
		firsts[o[0]] = true
	}
	if len(firsts) < 3 {
		t.Errorf("20 rounds start with only %d distinct plugins", len(firsts))
	}
}

// A target between two plugins with samples reports the paired median and
// its interval, and says when the interval spans the limit.
func TestTargetUsesPairedRatio(t *testing.T) {
	r := sample()
	r.Plugins = append(r.Plugins,
		PluginResult{ID: "go-floor", Language: "go", Flavor: "floor", Kind: "driver", Baseline: "go-sdk/go-exec",
			Values: map[string]float64{"cold_p50_ms_plain": 10}, Ratios: map[string]float64{}, Errors: []string{}})
	sdk, floor := &r.Plugins[0], &r.Plugins[2]
	sdk.Samples = map[string][]float64{"cold_p50_ms_plain": {}}
	floor.Samples = map[string][]float64{"cold_p50_ms_plain": {}}
	for i := 0; i < 20; i++ {
		// Ratios 1.00, 1.01, ... 1.19 in a scrambled order; floor times vary.
		ratio := 1 + float64((i*7)%20)/100
		ft := 5 + float64(i)
		floor.Samples["cold_p50_ms_plain"] = append(floor.Samples["cold_p50_ms_plain"], ft)
		sdk.Samples["cold_p50_ms_plain"] = append(sdk.Samples["cold_p50_ms_plain"], ft*ratio)
	}
	r.Targets = EvaluateTargets(r)
	var got *TargetCheck
	for i, c := range r.Targets {
		if c.Subject == "go-sdk/go-exec" && c.Against == "go-floor" && c.Metric == "cold_p50_ms_plain" && c.Limit == 1.10 {
			got = &r.Targets[i]
		}
	}
	if got == nil {
		t.Fatal("no 1.10x cold start target for go-exec")
	}
	// Sorted ratios 1.00..1.19: median (1.09+1.10)/2, interval ranks 6 and 15.
	if got.Pairs != 20 || !near(got.Measured, 1.095) || !near(got.CILow, 1.05) || !near(got.CIHigh, 1.14) || got.Status != "met" {
		t.Fatalf("target = %+v; want 20 pairs, 1.095 [1.05, 1.14], met", *got)
	}
	if !strings.Contains(got.Note, "spans the limit") {
		t.Errorf("note %q does not say the interval spans the limit", got.Note)
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if md := Markdown(r); !strings.Contains(md, "1.09x [1.05–1.14]") && !strings.Contains(md, "1.10x [1.05–1.14]") {
		t.Errorf("markdown lacks the interval:\n%s", md)
	}
	got.CIHigh = 1.0
	if err := r.Validate(); err == nil || !strings.Contains(err.Error(), "outside its interval") {
		t.Errorf("Validate accepted a median above its interval: %v", err)
	}
}
