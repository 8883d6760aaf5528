package ipaddr_test

import (
	"testing"

	"github.com/kontor-app/kontor/ipaddr"
)

func TestTruncate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"203.0.113.77", "203.0.113.0"},
		{"203.0.113.0", "203.0.113.0"},
		{"10.1.2.255", "10.1.2.0"},
		{"127.0.0.1", "127.0.0.0"},
		{" 198.51.100.9 ", "198.51.100.0"},
		{"::ffff:203.0.113.77", "203.0.113.0"},
		{"2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::"},
		{"2001:0db8:85a3:0000:0000:0000:0000:0001", "2001:db8:85a3::"},
		{"2001:db8::1", "2001:db8::"},
		{"fe80::1%eth0", "fe80::"},
		{"::1", "::"},
		{"", ""},
		{"not an ip", ""},
		{"203.0.113.77:8080", ""},
	} {
		if got := ipaddr.Truncate(tc.in); got != tc.want {
			t.Errorf("Truncate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
