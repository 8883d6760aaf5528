package scoring

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestApportion(t *testing.T) {
	for _, tc := range []struct {
		parts []float64
		total int
		want  []int
	}{
		{[]float64{1.6, 2.3, 0.1}, 4, []int{2, 2, 0}},
		{[]float64{1.6, 2.3, 0.1}, 3, []int{1, 2, 0}},
		{[]float64{-1.4, 3.7, 0.7}, 3, []int{-2, 4, 1}},
		{[]float64{-1.4, 3.7, 0.7}, 2, []int{-2, 4, 0}},
		{[]float64{0.9, 0.9}, 0, []int{0, 0}},
		{[]float64{1.2, 1.1}, 1, []int{1, 0}},
		{[]float64{2, 3}, 5, []int{2, 3}},
		{[]float64{2, 3}, 4, []int{2, 2}},
	} {
		got := apportion(tc.parts, tc.total)
		sum := 0
		for i := range got {
			sum += got[i]
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("apportion(%v, %d) = %v, want %v", tc.parts, tc.total, got, tc.want)
		}
		if sum != tc.total {
			t.Errorf("apportion(%v, %d) adds up to %d", tc.parts, tc.total, sum)
		}
	}
}

// checkAddsUp fails unless base + Σ contribution = score and the score
// is the model's probability in percent, rounded.
func checkAddsUp(t *testing.T, m Model, x []float64) Explanation {
	t.Helper()
	e := m.Explain(x)
	sum := e.Base
	for _, s := range e.Signals {
		sum += s.Contribution
	}
	if sum != e.Score {
		t.Fatalf("%v: base %d + contributions = %d, score %d", x, e.Base, sum, e.Score)
	}
	if want := int(math.Round(100 * m.Probability(x))); e.Score != want || e.Score < 0 || e.Score > 100 {
		t.Fatalf("%v: score %d, want %d", x, e.Score, want)
	}
	if len(e.Signals) != len(Signals) {
		t.Fatalf("%d signals explained, want %d", len(e.Signals), len(Signals))
	}
	return e
}

func TestExplanationsAddUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	trained := Train(synthetic(rng, 400))
	for range 2000 {
		x := randomContact(rng)
		for _, m := range []Model{Rules, trained} {
			checkAddsUp(t, m, x)
		}
	}
}

func TestRulesExplanation(t *testing.T) {
	// A decision-maker at a company of 10–250 people in your country,
	// who opened a proposal 3 times and had a meeting.
	x := Features{Country: "DE", Home: "DE", Employees: 40, JobTitle: "Managing Director", ProposalOpens: 3, Meetings: 1}.Vector()
	e := checkAddsUp(t, Rules, x)
	if e.Model != KindRules || e.Base != 12 {
		t.Errorf("model %s, base %d; want rules from 12", e.Model, e.Base)
	}
	got := map[string]Contribution{}
	for _, s := range e.Signals {
		got[s.Signal] = s
	}
	for _, name := range []string{"country_home", "size_mid", "decision_maker", "proposal_opens", "meetings"} {
		if got[name].Contribution <= 0 {
			t.Errorf("%s contributes %d, want more than 0", name, got[name].Contribution)
		}
	}
	for _, name := range []string{"country_eu", "size_small", "size_large", "replies"} {
		if got[name].Contribution != 0 || got[name].Value != 0 {
			t.Errorf("%s contributes %d (value %v), want 0", name, got[name].Contribution, got[name].Value)
		}
	}
	if got["proposal_opens"].Value != 3 || got["proposal_opens"].Weight != 0.35 {
		t.Errorf("proposal_opens = %+v", got["proposal_opens"])
	}
	// largest first
	for i := 1; i < len(e.Signals); i++ {
		if abs(e.Signals[i].Contribution) > abs(e.Signals[i-1].Contribution) {
			t.Fatalf("signals not in order of contribution: %+v", e.Signals)
		}
	}
	// a contact with nothing known scores the base
	if e := checkAddsUp(t, Rules, Features{}.Vector()); e.Score != e.Base {
		t.Errorf("an unknown contact scores %d, base %d", e.Score, e.Base)
	}
}

func TestFeatures(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    Features
		want []float64
	}{
		{"home, small, engaged past the caps", Features{Country: "es", Home: "ES", Employees: 3, ProposalOpens: 40, Replies: 9, Meetings: 2},
			[]float64{1, 0, 1, 0, 0, 0, 10, 5, 2}},
		{"EU elsewhere, large, decision-maker", Features{Country: "FR", Home: "ES", Employees: 900, JobTitle: "Directeur commercial"},
			[]float64{0, 1, 0, 0, 1, 1, 0, 0, 0}},
		{"outside the EU, size unknown", Features{Country: "US", Home: "DE", JobTitle: "Sales assistant"},
			[]float64{0, 0, 0, 0, 0, 0, 0, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.f.Vector()
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("Vector = %v, want %v", got, tc.want)
				}
			}
		})
	}
	for title, want := range map[string]bool{
		"CEO": true, "Co-founder": true, "Head of Marketing": true, "Geschäftsführer": true, "Gerente general": true,
		"Amministratore delegato": true, "Sales assistant": false, "Developer": false, "Intern": false, "": false,
	} {
		if DecisionMaker(title) != want {
			t.Errorf("DecisionMaker(%q) = %v", title, !want)
		}
	}
}
