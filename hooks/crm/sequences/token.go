package sequences

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
)

// newToken returns an unsubscribe link's secret: 32 random bytes,
// base64url.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is what an enrolment keeps of its secret: the SHA-256, hex.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// newReplyKey returns an enrolment's reply key: 16 random bytes in lower
// case hex, safe in an email address's local part whatever its case
// handling.
func newReplyKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// replyAddressRE finds the key of a reply address reply+{key}@….
var replyAddressRE = regexp.MustCompile(`(?i)\breply\+([0-9a-f]{32})@`)

// messageIDRE finds the key of a Message-ID a sequence email was sent
// with, <seq.{key}.{position}@…>, in In-Reply-To or References.
var messageIDRE = regexp.MustCompile(`(?i)<seq\.([0-9a-f]{32})\.[0-9]+@`)

// replyKeyOf finds the reply key in the addresses a reply was sent to, or
// else in its In-Reply-To and References; "" when none names one.
func replyKeyOf(addresses []string, references ...string) string {
	for _, a := range addresses {
		if m := replyAddressRE.FindStringSubmatch(a); m != nil {
			return strings.ToLower(m[1])
		}
	}
	for _, r := range references {
		if m := messageIDRE.FindStringSubmatch(r); m != nil {
			return strings.ToLower(m[1])
		}
	}
	return ""
}
