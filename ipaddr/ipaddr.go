// Package ipaddr keeps of a client's address only what a record needs.
package ipaddr

import (
	"net/netip"
	"strings"
)

// Truncate keeps the network part of an address, enough to tell roughly
// where a request came from and no more: an IPv4 address to its /24
// (203.0.113.77 → 203.0.113.0), an IPv6 address to its /48
// (2001:db8:85a3:8d3:: → 2001:db8:85a3::). An IPv4 address written as IPv6
// (::ffff:203.0.113.77) is an IPv4 address. Anything else is "".
func Truncate(ip string) string {
	addr, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return ""
	}
	addr = addr.Unmap().WithZone("")
	bits := 48
	if addr.Is4() {
		bits = 24
	}
	prefix, err := addr.Prefix(bits)
	if err != nil {
		return ""
	}
	return prefix.Addr().String()
}
