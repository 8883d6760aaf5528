package mail

import (
	"strings"

	"github.com/kontor-app/kontor/money"
)

// owed reports whether a decimal amount is more than zero.
func owed(amount string) bool {
	d, err := money.Parse(strings.TrimSpace(amount))
	return err == nil && d.IsPositive()
}
