package providerapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry is how a client retries: Attempts tries in all, waiting Wait
// after the first failure and twice as long after each next, never more
// than MaxWait. A Retry-After the provider sends replaces the backoff;
// when it asks for longer than MaxWait, the client gives up at once.
type Retry struct {
	Attempts int
	Wait     time.Duration
	MaxWait  time.Duration
}

// DefaultRetry is 3 attempts, waiting 1 s then 2 s, at most 20 s when the
// provider asks for it.
var DefaultRetry = Retry{Attempts: 3, Wait: time.Second, MaxWait: 20 * time.Second}

func (r Retry) withDefaults() Retry {
	if r.Attempts <= 0 {
		r.Attempts = DefaultRetry.Attempts
	}
	if r.Wait <= 0 {
		r.Wait = DefaultRetry.Wait
	}
	if r.MaxWait <= 0 {
		r.MaxWait = DefaultRetry.MaxWait
	}
	return r
}

// Delay is how long to wait after the attempt failed (1 for the first),
// given the answer's Retry-After (seconds or an HTTP date; empty for
// none); ok is false when the provider asks for longer than MaxWait.
func (r Retry) Delay(attempt int, retryAfter string, now time.Time) (wait time.Duration, ok bool) {
	r = r.withDefaults()
	if d, has := parseRetryAfter(retryAfter, now); has {
		if d > r.MaxWait {
			return 0, false
		}
		return d, true
	}
	wait = r.Wait
	for i := 1; i < attempt && wait < r.MaxWait; i++ {
		wait *= 2
	}
	return min(wait, r.MaxWait), true
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an
// HTTP-date (RFC 9110 10.2.3).
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
