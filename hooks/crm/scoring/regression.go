package scoring

import (
	"math"
	"sort"
)

// MinDeals is how many won or lost deals a workspace needs before its own
// regression replaces the rules.
const MinDeals = 30

// Training settings: full-batch gradient descent on standardised
// features, with an L2 penalty that keeps weights small when the deals
// are few.
const (
	learningRate = 0.5
	iterations   = 2000
	l2           = 0.01
)

// Train fits a logistic regression to the feature vectors X and outcomes
// y (1 won, 0 lost): each feature is standardised by its mean and
// standard deviation over X, the weights minimise the mean log-loss plus
// l2/2·|w|² (the intercept is not penalised) by gradient descent from
// zero, and are then written back per raw unit, so the model reads raw
// features like the rules do. Its baseline is the mean contact. It is
// deterministic: the same deals give the same model.
func Train(X [][]float64, y []float64) Model {
	n, d := len(X), len(Signals)
	mean, sd := make([]float64, d), make([]float64, d)
	for _, x := range X {
		for j := range d {
			mean[j] += x[j] / float64(n)
		}
	}
	for _, x := range X {
		for j := range d {
			sd[j] += (x[j] - mean[j]) * (x[j] - mean[j]) / float64(n)
		}
	}
	for j := range d {
		sd[j] = math.Sqrt(sd[j])
		if sd[j] < 1e-9 {
			sd[j] = 1
		}
	}
	Z := make([][]float64, n)
	for i, x := range X {
		Z[i] = make([]float64, d)
		for j := range d {
			Z[i][j] = (x[j] - mean[j]) / sd[j]
		}
	}
	w, b := make([]float64, d), 0.0
	grad := make([]float64, d)
	for range iterations {
		for j := range grad {
			grad[j] = 0
		}
		gb := 0.0
		for i, z := range Z {
			s := b
			for j := range d {
				s += w[j] * z[j]
			}
			e := sigmoid(s) - y[i]
			gb += e
			for j := range d {
				grad[j] += e * z[j]
			}
		}
		b -= learningRate * gb / float64(n)
		for j := range d {
			w[j] -= learningRate * (grad[j]/float64(n) + l2*w[j])
		}
	}
	m := Model{Kind: KindRegression, Intercept: b, Weights: make([]float64, d), Baseline: mean, Samples: n}
	for j := range d {
		m.Weights[j] = w[j] / sd[j]
		m.Intercept -= w[j] * mean[j] / sd[j]
	}
	return m
}

// LogLoss is the model's mean log-loss on the vectors X and outcomes y
// (lower is better).
func (m Model) LogLoss(X [][]float64, y []float64) float64 {
	sum := 0.0
	for i, x := range X {
		p := math.Min(math.Max(m.Probability(x), 1e-12), 1-1e-12)
		sum -= y[i]*math.Log(p) + (1-y[i])*math.Log(1-p)
	}
	return sum / float64(len(X))
}

// AUC is the area under the model's ROC curve on X and y: the chance that
// a won deal's contact scores above a lost one's, ties counting half.
func (m Model) AUC(X [][]float64, y []float64) float64 {
	type scored struct{ p, y float64 }
	s := make([]scored, len(X))
	for i, x := range X {
		s[i] = scored{m.Probability(x), y[i]}
	}
	sort.Slice(s, func(a, b int) bool { return s[a].p < s[b].p })
	// rank-sum (Mann–Whitney), with average ranks for ties
	var pos, neg, rankSum float64
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j].p == s[i].p {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1..j
		for k := i; k < j; k++ {
			if s[k].y == 1 {
				rankSum += avg
				pos++
			} else {
				neg++
			}
		}
		i = j
	}
	if pos == 0 || neg == 0 {
		return 0.5
	}
	return (rankSum - pos*(pos+1)/2) / (pos * neg)
}
