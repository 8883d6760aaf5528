package sequences

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// SignatureTolerance is how far a webhook's timestamp may be from now, in
// either direction, before it is refused as a replay.
const SignatureTolerance = 5 * time.Minute

// Errors of VerifySignature.
var (
	ErrNoSignature  = errors.New("the request is not signed: it has no svix-id, svix-timestamp and svix-signature headers")
	ErrBadTimestamp = errors.New("the signature's timestamp is not within 5 minutes of now")
	ErrBadSignature = errors.New("no signature of the request matches the webhook secret")
	ErrBadSecret    = errors.New("the webhook secret must be whsec_ followed by base64")
)

// SecretKey decodes a Svix webhook secret, "whsec_<base64>", into its key.
func SecretKey(secret string) ([]byte, error) {
	s := strings.TrimSpace(secret)
	s = strings.TrimPrefix(s, "whsec_")
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(key) == 0 {
		return nil, ErrBadSecret
	}
	return key, nil
}

// Sign is the Svix signature of a message: base64 of HMAC-SHA256 with the
// key over id.timestamp.body, as written after "v1," in svix-signature.
func Sign(key []byte, id, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks a webhook signed the way Svix signs (Resend's
// webhooks): the headers svix-id, svix-timestamp (Unix seconds) and
// svix-signature, a space-separated list of "v1,<signature>" of which one
// must match; the webhook-* headers of Standard Webhooks are read the
// same. A timestamp more than SignatureTolerance from now is refused.
func VerifySignature(key []byte, h http.Header, body []byte, now time.Time) error {
	get := func(name string) string {
		if v := h.Get("svix-" + name); v != "" {
			return v
		}
		return h.Get("webhook-" + name)
	}
	id, ts, sigs := get("id"), get("timestamp"), get("signature")
	if id == "" || ts == "" || sigs == "" {
		return ErrNoSignature
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrBadTimestamp
	}
	if d := now.Sub(time.Unix(sec, 0)); d > SignatureTolerance || d < -SignatureTolerance {
		return ErrBadTimestamp
	}
	want := []byte(Sign(key, id, ts, body))
	for _, s := range strings.Fields(sigs) {
		version, sig, ok := strings.Cut(s, ",")
		if ok && version == "v1" && hmac.Equal([]byte(sig), want) {
			return nil
		}
	}
	return ErrBadSignature
}
