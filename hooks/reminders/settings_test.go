package reminders

import "testing"

func TestParseReminderDays(t *testing.T) {
	cases := []struct {
		raw  string
		want []int
		ok   bool
	}{
		{"", nil, true},
		{"null", nil, true},
		{"[]", []int{}, true},
		{"[3,10,20]", []int{3, 10, 20}, true},
		{"[1]", []int{1}, true},
		{"[1,2,3,4,5]", []int{1, 2, 3, 4, 5}, true},
		{"[1,2,3,4,5,6]", nil, false},
		{"[3,3]", nil, false},
		{"[10,3]", nil, false},
		{"[0,3]", nil, false},
		{"[-1]", nil, false},
		{"[366]", nil, false},
		{"[2.5]", nil, false},
		{`["3"]`, nil, false},
		{`{"a":1}`, nil, false},
	}
	for _, c := range cases {
		got, ok := parseReminderDays(c.raw)
		if ok != c.ok || len(got) != len(c.want) {
			t.Errorf("%s: %v %v, want %v %v", c.raw, got, ok, c.want, c.ok)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: %v, want %v", c.raw, got, c.want)
			}
		}
	}
}
