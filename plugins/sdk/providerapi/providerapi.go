// Package providerapi calls the HTTP API of the provider behind a plugin
// (an LLM or telephony provider) through go-resty: it retries what may
// succeed later (429, 5xx, no answer) with exponential backoff, honouring
// the provider's Retry-After within a bound, and turns every failure into
// an *sdk.ProviderError that says whether the provider was unavailable or
// rejected the request, with the provider's own message.
package providerapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/kontor-app/kontor/plugins/sdk"
)

// MaxResponseBytes bounds what the client reads of an answer.
const MaxResponseBytes = 8 << 20

// sharedHTTP carries every call, so connections are reused across calls;
// each call's context carries Kontor's deadline as well.
var sharedHTTP = &http.Client{Timeout: 5 * time.Minute}

// ErrorReader reads a provider's error body: its error type (or code) and
// message; empty when the body is not the provider's error shape.
type ErrorReader func(body []byte) (typ, message string)

// Client calls one provider's API.
type Client struct {
	// Provider names the provider in errors, e.g. "anthropic".
	Provider string
	// BaseURL is the API's base URL, without a trailing slash.
	BaseURL string
	// Retry is how failed calls are retried.
	Retry Retry
	// ReadError reads the provider's error bodies.
	ReadError ErrorReader
	// Header is sent with every request (authentication, versions).
	Header map[string]string
	// BasicAuth, when its user is set, is sent with every request.
	BasicUser, BasicPassword string

	http *resty.Client
}

// New returns a client of the provider's API at baseURL.
func New(provider, baseURL string, retry Retry, readError ErrorReader) *Client {
	return &Client{
		Provider: provider, BaseURL: strings.TrimRight(baseURL, "/"), Retry: retry.withDefaults(), ReadError: readError,
		Header: map[string]string{},
		http: resty.NewWithClient(sharedHTTP).SetResponseBodyLimit(MaxResponseBytes).SetHeader("User-Agent", "Kontor").
			SetDisableWarn(true),
	}
}

// Request is one call.
type Request struct {
	// Method and Path (after BaseURL, with its leading "/").
	Method, Path string
	// JSON is a JSON body, sent as it is; Form a form body.
	JSON []byte
	Form url.Values
	// Idempotent says the call may be sent twice without harm: it is then
	// retried on any 5xx and when the provider did not answer. A call
	// that is not (placing a phone call) is retried only when the
	// provider says it did not act on it: 429, 503, 529.
	Idempotent bool
}

// Do sends the request, retrying as Retry says, and returns the body of
// the 2xx answer. Any failure is an *sdk.ProviderError, except the end of
// ctx, which is returned as it is.
func (c *Client) Do(ctx context.Context, req Request) ([]byte, error) {
	res, err := c.do(ctx, req, false)
	if err != nil {
		return nil, err
	}
	return res.Body(), nil
}

// Stream sends the request as Do does, asking for an event stream, and
// returns the body of the 2xx answer unread, for the caller to read as it
// comes and close, with the answer's media type (a gateway may answer
// with the whole JSON instead of text/event-stream). What fails before
// the answer (an error status, no answer) is retried and reported as Do
// does; what fails while the caller reads is the caller's to report.
func (c *Client) Stream(ctx context.Context, req Request) (body io.ReadCloser, mediaType string, err error) {
	res, err := c.do(ctx, req, true)
	if err != nil {
		return nil, "", err
	}
	mediaType, _, _ = mime.ParseMediaType(res.Header().Get("Content-Type"))
	return res.RawBody(), mediaType, nil
}

// do sends the request until it is answered with a 2xx, or fails as Do
// says. Streamed, the 2xx answer's body is left unread.
func (c *Client) do(ctx context.Context, req Request, stream bool) (*resty.Response, error) {
	var last *sdk.ProviderError
	for attempt := 1; ; attempt++ {
		res, err := c.send(ctx, req, stream)
		if ctx.Err() != nil {
			if err == nil && stream {
				res.RawBody().Close()
			}
			return nil, ctx.Err()
		}
		var retryAfter string
		switch {
		case err != nil:
			last = &sdk.ProviderError{Provider: c.Provider, Message: noAnswer(err), Unavailable: true}
			if !req.Idempotent {
				last.Attempts = attempt
				return nil, last
			}
		case res.StatusCode() >= 200 && res.StatusCode() <= 299:
			return res, nil
		default:
			body := res.Body()
			if stream {
				body, _ = io.ReadAll(io.LimitReader(res.RawBody(), MaxResponseBytes))
				res.RawBody().Close()
			}
			last = c.failure(res, body)
			retryAfter = res.Header().Get("Retry-After")
			if !retryable(res.StatusCode(), req.Idempotent) {
				last.Unavailable = res.StatusCode() == http.StatusTooManyRequests || res.StatusCode() >= 500
				last.Attempts = attempt
				return nil, last
			}
		}
		last.Attempts = attempt
		if attempt >= c.Retry.Attempts {
			return nil, last
		}
		wait, ok := c.Retry.Delay(attempt, retryAfter, time.Now())
		if !ok {
			last.Message += fmt.Sprintf(" (it asks to wait %s, longer than Kontor waits)", strings.TrimSpace(retryAfter))
			return nil, last
		}
		if deadline, has := ctx.Deadline(); has && time.Until(deadline) < wait {
			return nil, last
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

func (c *Client) send(ctx context.Context, req Request, stream bool) (*resty.Response, error) {
	r := c.http.R().SetContext(ctx).SetHeaders(c.Header).SetHeader("Accept", "application/json")
	if stream {
		r.SetHeader("Accept", "text/event-stream").SetDoNotParseResponse(true)
	}
	if c.BasicUser != "" {
		r.SetBasicAuth(c.BasicUser, c.BasicPassword)
	}
	switch {
	case req.JSON != nil:
		r.SetHeader("Content-Type", "application/json").SetBody(req.JSON)
	case req.Form != nil:
		r.SetFormDataFromValues(req.Form)
	}
	return r.Execute(req.Method, c.BaseURL+req.Path)
}

// failure reads a non-2xx answer as a provider error.
func (c *Client) failure(res *resty.Response, body []byte) *sdk.ProviderError {
	e := &sdk.ProviderError{Provider: c.Provider, HTTPStatus: res.StatusCode(), Unavailable: true}
	if c.ReadError != nil {
		e.Type, e.Message = c.ReadError(body)
	}
	if e.Message == "" {
		text := strings.TrimSpace(string(body))
		if len(text) > 300 {
			text = text[:300] + "…"
		}
		if text == "" {
			text = http.StatusText(res.StatusCode())
		}
		e.Message = text
	}
	return e
}

// retryable reports whether an answer of the status may be retried.
func retryable(status int, idempotent bool) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable, 529:
		return true
	}
	return idempotent && status >= 500
}

// noAnswer says why the provider did not answer, without the URL (which
// may carry an account id).
func noAnswer(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return "no answer: " + err.Error()
}
