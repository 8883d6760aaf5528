package scoring

import (
	"math"
	"math/rand/v2"
	"testing"
)

// truth is how the synthetic deals are really won, in log-odds per
// signal, and not as the rules weigh them: contacts in your own country
// and at small companies lose more often, large companies win, a
// decision-maker title and proposal opens say little, replies nothing,
// and meetings a lot.
var truth = Model{
	Kind: "truth", Intercept: -0.8,
	Weights: []float64{-1.0, 0.2, -1.4, 0.1, 1.6, 0.05, 0.02, -0.1, 1.1},
}

// randomContact draws a contact's features.
func randomContact(rng *rand.Rand) []float64 {
	f := Features{Home: "DE", ProposalOpens: rng.IntN(8), Replies: rng.IntN(3), Meetings: rng.IntN(4)}
	switch rng.IntN(3) {
	case 0:
		f.Country = "DE"
	case 1:
		f.Country = "FR"
	default:
		f.Country = "US"
	}
	f.Employees = []int{0, 4, 60, 2000}[rng.IntN(4)]
	if rng.IntN(3) == 0 {
		f.JobTitle = "CEO"
	}
	return f.Vector()
}

// synthetic draws n deals: a contact each, won with truth's probability.
func synthetic(rng *rand.Rand, n int) ([][]float64, []float64) {
	X, y := make([][]float64, n), make([]float64, n)
	for i := range n {
		X[i] = randomContact(rng)
		if rng.Float64() < truth.Probability(X[i]) {
			y[i] = 1
		}
	}
	return X, y
}

func TestRegressionBeatsRulesOnHeldOutDeals(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	trainX, trainY := synthetic(rng, 300)
	testX, testY := synthetic(rng, 5000)
	m := Train(trainX, trainY)

	rulesLoss, modelLoss, bestLoss := Rules.LogLoss(testX, testY), m.LogLoss(testX, testY), truth.LogLoss(testX, testY)
	rulesAUC, modelAUC := Rules.AUC(testX, testY), m.AUC(testX, testY)
	t.Logf("held-out log-loss: rules %.3f, regression %.3f, truth %.3f; AUC: rules %.3f, regression %.3f",
		rulesLoss, modelLoss, bestLoss, rulesAUC, modelAUC)
	if modelLoss >= rulesLoss || modelAUC <= rulesAUC {
		t.Fatalf("the regression does not beat the rules on held-out deals")
	}
	if modelLoss > bestLoss+0.05 {
		t.Errorf("the regression's log-loss %.3f is far from the truth's %.3f", modelLoss, bestLoss)
	}
	// it learns the signs the rules get wrong
	for i, name := range map[int]string{0: "country_home", 2: "size_small", 4: "size_large", 8: "meetings"} {
		if math.Signbit(m.Weights[i]) != math.Signbit(truth.Weights[i]) {
			t.Errorf("%s: weight %.2f, truth %.2f", name, m.Weights[i], truth.Weights[i])
		}
	}
	if m.Samples != 300 || m.Kind != KindRegression {
		t.Errorf("model %s on %d samples", m.Kind, m.Samples)
	}
}

func TestTrainIsDeterministic(t *testing.T) {
	X, y := synthetic(rand.New(rand.NewPCG(3, 4)), 100)
	a, b := Train(X, y), Train(X, y)
	for i := range a.Weights {
		if a.Weights[i] != b.Weights[i] {
			t.Fatal("two trainings on the same deals differ")
		}
	}
}

func TestAUC(t *testing.T) {
	// one feature, the score increasing with it
	m := Model{Weights: []float64{1, 0, 0, 0, 0, 0, 0, 0, 0}}
	x := func(v float64) []float64 { return []float64{v, 0, 0, 0, 0, 0, 0, 0, 0} }
	X := [][]float64{x(1), x(2), x(3), x(4)}
	if got := m.AUC(X, []float64{0, 0, 1, 1}); got != 1 {
		t.Errorf("perfect ranking: AUC %v", got)
	}
	if got := m.AUC(X, []float64{1, 1, 0, 0}); got != 0 {
		t.Errorf("reversed ranking: AUC %v", got)
	}
	if got := m.AUC([][]float64{x(1), x(1)}, []float64{0, 1}); got != 0.5 {
		t.Errorf("a tie: AUC %v", got)
	}
}
