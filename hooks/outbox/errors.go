package outbox

import "errors"

// permanentError is a failure that retrying cannot mend.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks a handler's error as one that retrying cannot mend (a
// refused recipient, a malformed payload): the message fails at once.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// notSentError says a message was deliberately not carried out.
type notSentError struct{ reason string }

func (e notSentError) Error() string { return e.reason }

// NotSent is what a handler returns when it does not carry the message out
// on purpose, e.g. because no mailer is configured: the message is marked
// not_sent with the reason, and an admin may retry it once the cause is
// gone.
func NotSent(reason string) error { return notSentError{reason} }

func isPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

func isNotSent(err error) (string, bool) {
	var n notSentError
	if errors.As(err, &n) {
		return n.reason, true
	}
	return "", false
}
