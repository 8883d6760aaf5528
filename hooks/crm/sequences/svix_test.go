package sequences

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// signed builds the headers Svix sends for a body, computing the
// signature independently of Sign, as Svix documents it: HMAC-SHA256 of
// "{id}.{timestamp}.{body}" with the base64-decoded part of whsec_…,
// base64-encoded, after "v1,".
func signed(secret, id string, at time.Time, body []byte) http.Header {
	key, _ := base64.StdEncoding.DecodeString(secret[len("whsec_"):])
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "." + string(body)))
	h := http.Header{}
	h.Set("svix-id", id)
	h.Set("svix-timestamp", ts)
	h.Set("svix-signature", "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	return h
}

const testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

func TestVerifySignature(t *testing.T) {
	key, err := SecretKey(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1765238400, 0)
	body := []byte(`{"type":"email.received","data":{"to":["reply+x@r.example"]}}`)
	good := signed(testSecret, "msg_2Lh9", now, body)
	for _, tc := range []struct {
		name   string
		header func() http.Header
		body   []byte
		now    time.Time
		want   error
	}{
		{"valid", func() http.Header { return good }, body, now, nil},
		{"valid among several, space-separated", func() http.Header {
			h := good.Clone()
			h.Set("svix-signature", "v1,bm90IGl0 v2,abc "+good.Get("svix-signature"))
			return h
		}, body, now, nil},
		{"4 minutes late is fine", func() http.Header { return good }, body, now.Add(4 * time.Minute), nil},
		{"6 minutes late is a replay", func() http.Header { return good }, body, now.Add(6 * time.Minute), ErrBadTimestamp},
		{"6 minutes early", func() http.Header { return good }, body, now.Add(-6 * time.Minute), ErrBadTimestamp},
		{"body changed", func() http.Header { return good }, []byte(`{"type":"email.received"}`), now, ErrBadSignature},
		{"id changed", func() http.Header { h := good.Clone(); h.Set("svix-id", "msg_other"); return h }, body, now, ErrBadSignature},
		{"other secret", func() http.Header {
			return signed("whsec_"+base64.StdEncoding.EncodeToString([]byte("another key")), "msg_2Lh9", now, body)
		}, body, now, ErrBadSignature},
		{"unsigned", func() http.Header { return http.Header{} }, body, now, ErrNoSignature},
		{"timestamp not a number", func() http.Header { h := good.Clone(); h.Set("svix-timestamp", "soon"); return h }, body, now, ErrBadTimestamp},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := VerifySignature(key, tc.header(), tc.body, tc.now); !errors.Is(err, tc.want) {
				t.Errorf("VerifySignature = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSecretKey(t *testing.T) {
	for _, s := range []string{"", "whsec_", "whsec_***"} {
		if _, err := SecretKey(s); err == nil {
			t.Errorf("SecretKey(%q) took it", s)
		}
	}
}
