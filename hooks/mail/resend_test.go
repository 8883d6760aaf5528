package mail

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// Resend's answers, in the outbox's terms: a refused email fails at once,
// an outage or a lost answer is retried, a key Resend saw before counts as
// sent.
func TestClassifyResendAnswers(t *testing.T) {
	failed := errors.New("[ERROR]: something")
	cases := []struct {
		name   string
		status int
		err    error
		want   string // "sent", "permanent" or "retry"
	}{
		{"accepted", 200, nil, "sent"},
		{"validation", 422, failed, "permanent"},
		{"bad request", 400, failed, "permanent"},
		{"too large", 413, failed, "permanent"},
		{"bad key", 401, failed, "retry"},
		{"rate limited", 429, failed, "retry"},
		{"outage", 500, failed, "retry"},
		{"bad gateway", 502, failed, "retry"},
		{"concurrent", 409, failed, "retry"},
		{"timeout", 0, context.DeadlineExceeded, "retry"},
		{"connection dropped", 0, errors.New("EOF"), "retry"},
	}
	for _, c := range cases {
		a := &resendAnswer{status: c.status}
		if c.name == "concurrent" {
			a.name = "concurrent_idempotent_requests"
		}
		err := a.classify(c.err)
		got := "retry"
		switch {
		case err == nil:
			got = "sent"
		case reflect.TypeOf(err) == permanent:
			got = "permanent"
		}
		if got != c.want {
			t.Errorf("%s: %v is %s, want %s", c.name, err, got, c.want)
		}
	}
	replay := &resendAnswer{status: 409, name: "invalid_idempotent_request"}
	if err := replay.classify(failed); err != nil {
		t.Errorf("a key Resend took before: %v", err)
	}
}

// permanent is the type of the outbox's permanent errors.
var permanent = reflect.TypeOf(outbox.Permanent(errors.New("refused")))
