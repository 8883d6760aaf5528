package scoring

import (
	"math"
	"sort"
)

// Models: the fixed rules every workspace starts with, and the logistic
// regression trained on a workspace's own won and lost deals.
const (
	KindRules      = "rules"
	KindRegression = "regression"
)

// Signal is a feature a score weighs.
type Signal struct {
	Name  string // e.g. "proposal_opens"
	Label string // what the user reads, e.g. "Proposal opens"
}

// Signals are what a score weighs, in the order of a feature vector: fit
// (country, company size, role) and engagement (proposal opens, replies,
// meetings).
var Signals = []Signal{
	{"country_home", "Same country as you"},
	{"country_eu", "Elsewhere in the EU"},
	{"size_small", "Company of 1–9 people"},
	{"size_mid", "Company of 10–250 people"},
	{"size_large", "Company of more than 250 people"},
	{"decision_maker", "Decision-maker role"},
	{"proposal_opens", "Proposal opens"},
	{"replies", "Replies to sequence emails"},
	{"meetings", "Meetings"},
}

// Model is a logistic model of whether a contact's deal is won: the
// probability is σ(Intercept + Σ Weights[i]·x[i]) over the raw feature
// values (x in the order of Signals), and the score is that probability
// in percent, rounded. Baseline is the reference contact the explanation
// starts from: no signal at all for the rules, the average contact of
// the training deals for a regression.
type Model struct {
	Kind      string    `json:"kind"`
	Intercept float64   `json:"intercept"`
	Weights   []float64 `json:"weights"`
	Baseline  []float64 `json:"baseline"`
	// Samples is how many deals a regression was trained on.
	Samples int `json:"samples,omitempty"`
}

// Rules is the rules layer: weights set by hand, in log-odds, for a
// contact with no signal at 12 (σ(-2)). A decision-maker at a company of
// 10–250 people in your country scores 52; each proposal open, reply and
// meeting adds to it.
var Rules = Model{
	Kind:      KindRules,
	Intercept: -2.0,
	Weights:   []float64{0.6, 0.3, 0.2, 0.8, 0.4, 0.9, 0.35, 0.8, 0.7},
	Baseline:  make([]float64, len(Signals)),
}

// sigmoid is the logistic function.
func sigmoid(z float64) float64 {
	return 1 / (1 + math.Exp(-z))
}

// Probability is the model's probability for the feature vector x.
func (m Model) Probability(x []float64) float64 {
	z := m.Intercept
	for i, w := range m.Weights {
		z += w * x[i]
	}
	return sigmoid(z)
}

// Contribution is a signal's part of a score.
type Contribution struct {
	Signal string  `json:"signal"`
	Label  string  `json:"label"`
	Value  float64 `json:"value"`
	// Weight is the signal's weight in log-odds per unit of its value.
	Weight float64 `json:"weight"`
	// Contribution is the points of the score the signal brings, against
	// the baseline contact; they add up with Base to the score exactly.
	Contribution int `json:"contribution"`
}

// Explanation is a score and why: Base (the baseline contact's score)
// plus every signal's contribution is the score exactly.
type Explanation struct {
	Model   string         `json:"model"`
	Score   int            `json:"score"`
	Base    int            `json:"base"`
	Signals []Contribution `json:"signals"`
}

// Explain scores the feature vector x and explains the score. A signal's
// contribution is its Shapley value in points of the score against the
// model's baseline: the average, over every order in which the signals
// could be added to the baseline contact, of how much adding it moves the
// score. Those values add up to the score minus the baseline's score
// exactly, whatever the logistic curve does; they are then rounded to
// whole points by largest remainder (apportion) so that the integers add
// up too. Signals come largest contribution first.
func (m Model) Explain(x []float64) Explanation {
	n := len(Signals)
	value := make([]float64, 1<<n) // the score of each coalition of signals, the rest at the baseline
	z := make([]float64, n)
	for mask := range value {
		for i := range n {
			if mask&(1<<i) != 0 {
				z[i] = x[i]
			} else {
				z[i] = m.Baseline[i]
			}
		}
		value[mask] = 100 * m.Probability(z)
	}
	fact := make([]float64, n+1)
	fact[0] = 1
	for i := 1; i <= n; i++ {
		fact[i] = fact[i-1] * float64(i)
	}
	phi := make([]float64, n)
	for i := range n {
		bit := 1 << i
		for mask := range value {
			if mask&bit != 0 {
				continue
			}
			k := popcount(mask)
			phi[i] += fact[k] * fact[n-k-1] / fact[n] * (value[mask|bit] - value[mask])
		}
	}
	score := int(math.Round(value[len(value)-1]))
	base := int(math.Round(value[0]))
	points := apportion(phi, score-base)
	out := Explanation{Model: m.Kind, Score: score, Base: base, Signals: make([]Contribution, n)}
	for i, s := range Signals {
		out.Signals[i] = Contribution{Signal: s.Name, Label: s.Label, Value: x[i], Weight: round4(m.Weights[i]), Contribution: points[i]}
	}
	sort.SliceStable(out.Signals, func(a, b int) bool {
		return abs(out.Signals[a].Contribution) > abs(out.Signals[b].Contribution)
	})
	return out
}

// apportion rounds the real parts to integers that add up to total, by
// largest remainder: each part is rounded down, then the units still
// missing go to the parts with the largest remainders (or, when the
// rounded-down parts are already over total, are taken from the parts
// with the smallest). total is within len(parts) of the parts' sum.
func apportion(parts []float64, total int) []int {
	out := make([]int, len(parts))
	rest := make([]float64, len(parts))
	sum := 0
	for i, p := range parts {
		f := math.Floor(p)
		out[i], rest[i] = int(f), p-f
		sum += int(f)
	}
	order := make([]int, len(parts))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rest[order[a]] > rest[order[b]] })
	for k := 0; sum < total; k++ {
		out[order[k%len(order)]]++
		sum++
	}
	for k := len(order) - 1; sum > total; k-- {
		out[order[(k%len(order)+len(order))%len(order)]]--
		sum--
	}
	return out
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// round4 rounds a weight to 4 decimals for showing.
func round4(x float64) float64 {
	return math.Round(x*1e4) / 1e4
}
