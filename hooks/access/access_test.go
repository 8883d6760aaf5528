package access

import "testing"

func TestAtLeast(t *testing.T) {
	cases := []struct {
		role, min Role
		want      bool
	}{
		{Owner, Admin, true},
		{Admin, Admin, true},
		{Member, Admin, false},
		{Member, Member, true},
		{Viewer, Member, false},
		{Viewer, Viewer, true},
		{"", Viewer, false},
		{"stranger", Viewer, false},
	}
	for _, c := range cases {
		if got := c.role.AtLeast(c.min); got != c.want {
			t.Errorf("%q.AtLeast(%q) = %v, want %v", c.role, c.min, got, c.want)
		}
	}
}
