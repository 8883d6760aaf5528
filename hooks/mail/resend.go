package mail

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/resend/resend-go/v2"

	"github.com/kontor-app/kontor/hooks/outbox"
)

// resendSender sends emails through Resend's API with resend-go. The
// outbox message's id is the idempotency key of every attempt, so an
// attempt whose answer was lost (a timeout after Resend accepted it) and
// its retry are one email: Resend keeps keys for 24 hours, longer than the
// outbox's default retries take.
type resendSender struct {
	client *resend.Client
}

// newResendSender returns a sender with the API key, on Resend's API or
// the base URL given.
func newResendSender(apiKey, baseURL string) (*resendSender, error) {
	c := resend.NewCustomClient(&http.Client{Transport: recordingTransport{http.DefaultTransport}}, apiKey)
	if baseURL != "" {
		u, err := url.Parse(strings.TrimRight(baseURL, "/") + "/")
		if err != nil {
			return nil, fmt.Errorf("mail: the Resend base URL %q: %w", baseURL, err)
		}
		c.BaseURL = u
	}
	return &resendSender{client: c}, nil
}

// send sends the email with its files, with the idempotency key given, and
// says how it went in the outbox's terms: nil once Resend took it,
// outbox.Permanent when Resend refused the email itself, any other error
// to be retried (Resend down, rate limited, no answer in time).
func (s *resendSender) send(ctx context.Context, logger *slog.Logger, key string, email Email, files []File) error {
	req := &resend.SendEmailRequest{
		From:    email.From,
		To:      email.To,
		Cc:      email.Cc,
		Bcc:     email.Bcc,
		ReplyTo: email.ReplyTo,
		Subject: email.Subject,
		Html:    email.HTML,
		Text:    email.Text,
		Headers: email.Headers,
	}
	for _, f := range files {
		a := &resend.Attachment{Filename: f.Name, Content: f.Content, ContentType: f.ContentType}
		if f.Inline {
			a.ContentId = f.Name
		}
		req.Attachments = append(req.Attachments, a)
	}
	answer := &resendAnswer{}
	_, err := s.client.Emails.SendWithOptions(context.WithValue(ctx, resendAnswerKey{}, answer), req,
		&resend.SendEmailOptions{IdempotencyKey: key})
	if err != nil && answer.name == "invalid_idempotent_request" {
		logger.Warn("mail: Resend already took this message on an earlier attempt; it counts as sent",
			"message", key, "error", err.Error())
	}
	return answer.classify(err)
}

// resendAnswer is what Resend answered to one request. resend-go's errors
// carry only Resend's message, so the transport records the status and
// the error's name for classify.
type resendAnswer struct {
	status int
	name   string
}

type resendAnswerKey struct{}

// classify turns the error of a send into the outbox's terms.
func (a *resendAnswer) classify(err error) error {
	if err == nil {
		return nil
	}
	message := strings.TrimPrefix(err.Error(), "[ERROR]: ")
	switch {
	case a.status == http.StatusConflict && a.name == "invalid_idempotent_request":
		// The key was used before with another payload: an earlier
		// attempt of this message reached Resend, which sent it.
		return nil
	case a.status == http.StatusBadRequest || a.status == http.StatusUnprocessableEntity ||
		a.status == http.StatusRequestEntityTooLarge:
		return outbox.Permanent(fmt.Errorf("refused by Resend (%d %s): %s", a.status, a.name, message))
	case a.status == http.StatusUnauthorized || a.status == http.StatusForbidden:
		return fmt.Errorf("the API key was refused by Resend (%d): %s; check KONTOR_RESEND_API_KEY", a.status, message)
	case a.status != 0:
		return fmt.Errorf("failed at Resend (%d): %s", a.status, message)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("no answer from Resend in time: %w", err)
	}
	return fmt.Errorf("could not reach Resend: %w", err)
}

// recordingTransport records the status and error name of Resend's answer
// in the request's resendAnswer, and leaves the answer as it was.
type recordingTransport struct {
	base http.RoundTripper
}

func (t recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.base.RoundTrip(req)
	answer, ok := req.Context().Value(resendAnswerKey{}).(*resendAnswer)
	if err != nil || !ok {
		return res, err
	}
	answer.status = res.StatusCode
	if res.StatusCode >= 300 {
		body, readErr := io.ReadAll(io.LimitReader(res.Body, 64<<10))
		res.Body.Close()
		if readErr != nil {
			return nil, readErr
		}
		var e struct {
			Name string `json:"name"`
		}
		_ = json.Unmarshal(body, &e)
		answer.name = e.Name
		res.Body = io.NopCloser(bytes.NewReader(body))
	}
	return res, nil
}
