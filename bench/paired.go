package bench

import (
	"math"
	"math/rand"
	"sort"
)

// Paired comparison of two plugins (issue 19: SDK <= 1.10x its floor).
//
// A ratio of two p50s taken over a whole run moves with the background load
// between the moments each plugin was measured. The bench therefore keeps,
// for the p50 metrics, one figure per round (PluginResult.Samples): each
// cold start of round i, or the p50 of round i's batch of unary calls. All
// plugins take their turn in every round, in a shuffled order, so round i of
// the subject and round i of the floor ran side by side. Pair i is
// subject[i] / floor[i]; a target's figure is the median of those ratios,
// with a distribution-free confidence interval of that median.

// ciLevel is the confidence level asked of a median's interval.
const ciLevel = 0.95

// PairedRatio summarises the per-round ratios of two plugins on one metric.
type PairedRatio struct {
	N      int     // pairs
	Median float64 // median of the per-pair ratios
	Lo, Hi float64 // confidence interval of the median
	Level  float64 // its coverage (ciLevel, or less when N is too small for it)
}

// pairedRatio pairs subject[i] with floor[i] for every round both have and
// summarises subject[i]/floor[i]. ok is false when no pair has a positive
// floor figure.
func pairedRatio(subject, floor []float64) (PairedRatio, bool) {
	n := min(len(subject), len(floor))
	rs := make([]float64, 0, n)
	for i := 0; i < n; i++ {
		if floor[i] > 0 {
			rs = append(rs, subject[i]/floor[i])
		}
	}
	if len(rs) == 0 {
		return PairedRatio{}, false
	}
	med, lo, hi, level := medianCI(rs, ciLevel)
	return PairedRatio{N: len(rs), Median: med, Lo: lo, Hi: hi, Level: level}, true
}

// median of xs (the mean of the two middle values when len is even); xs
// must not be empty.
func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// medianCI returns the median of xs and the order-statistic confidence
// interval of the population median: [x(k), x(n+1-k)] (sorted, 1-based)
// for the largest k with P(B <= k-1) <= (1-level)/2, B ~ Binomial(n, 1/2).
// It makes no assumption about the distribution of xs. Its coverage is
// 1 - 2 P(B <= k-1) >= level; with too few values for level (n < 6 at
// 0.95) it is the whole range, [min, max], with coverage 1 - 2^(1-n).
func medianCI(xs []float64, level float64) (med, lo, hi, coverage float64) {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	med = median(s)
	tail := (1 - level) / 2
	k := 1
	for j := 1; 2*j <= n+1; j++ {
		if binomCDFHalf(n, j-1) <= tail {
			k = j
		} else {
			break
		}
	}
	return med, s[k-1], s[n-k], 1 - 2*binomCDFHalf(n, k-1)
}

// binomCDFHalf is P(B <= m) for B ~ Binomial(n, 1/2).
func binomCDFHalf(n, m int) float64 {
	if m < 0 {
		return 0
	}
	sum := 0.0
	for i := 0; i <= m && i <= n; i++ {
		lg, _ := math.Lgamma(float64(n + 1))
		la, _ := math.Lgamma(float64(i + 1))
		lb, _ := math.Lgamma(float64(n - i + 1))
		sum += math.Exp(lg - la - lb - float64(n)*math.Ln2)
	}
	return math.Min(sum, 1)
}

// roundOrder returns the order in which the n plugins take their turn in
// round: a permutation drawn afresh each round (seeded by the round, so that
// two runs shuffle alike), so that no plugin always follows the same one
// (e.g. a Python plugin's exit) or always goes first.
func roundOrder(n, round int) []int {
	return rand.New(rand.NewSource(int64(round) + 1)).Perm(n)
}
